"""The suite's own order: every test run in a transaction comes before the first test that empties
the tables when it ends (a live server, `transaction=True`), so none of them reads the reference
rows and the rows migrations add (FAQ, news, benefit levels) after they were emptied."""

from pytest_django.plugin import validate_django_db


def empties_the_tables(item) -> bool:
    marker = item.get_closest_marker("django_db")
    transaction, reset_sequences, *_rest = validate_django_db(marker) if marker else (False, False)
    return transaction or reset_sequences or {"transactional_db", "live_server"} & set(getattr(item, "fixturenames", ()))


def in_a_transaction(item) -> bool:
    return not empties_the_tables(item) and (
        item.get_closest_marker("django_db") is not None or "db" in getattr(item, "fixturenames", ()))


def test_no_test_in_a_transaction_runs_after_one_that_empties_the_tables(request):
    items = request.session.items
    first_emptying = next((n for n, item in enumerate(items) if empties_the_tables(item)), len(items))
    late = [item.nodeid for item in items[first_emptying:] if in_a_transaction(item)]
    assert not late, f"after {items[first_emptying].nodeid}: {late[:5]}"
