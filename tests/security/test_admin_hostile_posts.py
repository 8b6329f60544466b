"""The officers' admin under tampered or clumsy posts: the actions of every list an officer works
in, posted with ids no row can have or with the rows of another agency or province, and the visit
form's cost lines posted past what a visit can hold, without their formset's management fields or
naming another visit's lines. Each is answered with the list or the form again and a Vietnamese
message, never a server error, and changes nothing outside the officer's scope.

Object pages (change, history, delete) of another agency's rows are covered by test_idor.py; the
add forms' choices of person, agency and clinic by each app's admin tests."""

import pytest
from django.contrib.messages import get_messages
from django.test import Client

from accounts.models import Registration
from benefits.models import BenefitRecord
from health_card.models import MAX_AMOUNT, Card, FacilityApiToken, Visit, VisitLine
from public_services.models import Filing
from tests.accounts.helpers import officer
from tests.health_card.test_visits import add_data, visit

from .world import build_world, use_fresh_signing_keys

pytestmark = [pytest.mark.security, pytest.mark.django_db]

PROVINCE = "Cán bộ BHXH tỉnh"
NOTHING_SELECTED = "Mục tiêu phải được chọn mới có thể thực hiện hành động trên chúng."

# Every action of the lists officers work in: (list, action, the world's object it would change,
# what it changes). The card actions ask for a reason first: posted here with one, confirmed.
ACTIONS = [
    ("benefits/benefitrecord", "mark_processing", "benefit", {}),
    ("benefits/benefitrecord", "mark_paid", "benefit", {}),
    ("public_services/filing", "receive_selected", "filing", {}),
    ("public_services/filing", "start_selected", "filing", {}),
    ("public_services/filing", "retry_declarations_selected", "filing", {}),
    ("accounts/registration", "retry_declarations_selected", "registration", {}),
    ("health_card/card", "reissue", "card", {"confirm": "1", "reason": "mat"}),
    ("health_card/card", "revoke", "card", {"confirm": "1", "reason": "gian_lan"}),
    ("health_card/facilityapitoken", "revoke", "api_token", {}),
]
MODELS = {"benefit": BenefitRecord, "filing": Filing, "registration": Registration, "card": Card,
          "api_token": FacilityApiToken}
# Ids no row can have: a word, a number past any key, a NUL character, nothing.
IMPOSSIBLE_IDS = ["abc", str(2**64), "1\x00", "", "1.5"]


@pytest.fixture
def world(reference_data, settings, tmp_path):
    use_fresh_signing_keys(settings, tmp_path)
    world = build_world()  # its PDFs are not built (they wait for a commit): no page here needs them
    world.other_province_head = officer("tinh001", "001", PROVINCE)  # Hà Nội's province officer
    return world


def client_of(user) -> Client:
    client = Client(raise_request_exception=False)
    client.force_login(user)
    return client


def state(obj) -> dict:
    """Every stored column of the row: what a refused action must leave as it was."""
    row = type(obj).objects.filter(pk=obj.pk).values().get()
    return {name: value for name, value in row.items() if name not in {"declaration_attempts", "updated_at"}}


def shown_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_an_action_on_ids_no_row_can_have_selects_nothing(world):
    client = client_of(world.officer)
    for changelist, action, key, extra in ACTIONS:  # nothing changes: one world serves them all
        url = f"/quan-tri/{changelist}/"
        before = state(world.objects[key])
        for bad_id in IMPOSSIBLE_IDS:
            response = client.post(url, {"action": action, "_selected_action": [bad_id], "index": "0", **extra})
            assert (response.status_code, response.get("Location")) == (302, url), (action, repr(bad_id))
            assert any(NOTHING_SELECTED in message for message in shown_messages(response)), (action, repr(bad_id))
        assert state(world.objects[key]) == before, action


# One action of each list: the ids are sorted out before any action runs.
ONE_ACTION_A_LIST = list({changelist: (changelist, *rest) for changelist, *rest in reversed(ACTIONS)}.values())


@pytest.mark.parametrize(("changelist", "action", "key", "extra"), ONE_ACTION_A_LIST)
def test_an_action_on_a_real_id_beside_an_impossible_one_acts_on_the_real_row(world, settings, changelist, action, key,
                                                                             extra):
    obj = world.objects[key]
    if action == "retry_declarations_selected":  # a declaration given up, for the action to start again
        type(obj).objects.filter(pk=obj.pk).update(pdf_attempts=settings.JOB_MAX_ATTEMPTS + 1)
    before = state(obj)
    response = client_of(world.officer).post(f"/quan-tri/{changelist}/", {
        "action": action, "_selected_action": [str(obj.pk), "abc", str(2**64)], "index": "0", **extra})
    assert response.status_code in (200, 302)
    assert not any(NOTHING_SELECTED in message for message in shown_messages(response))
    assert state(obj) != before, shown_messages(response)  # the action did its work on the real row


def test_an_action_naming_another_agencys_or_provinces_row_changes_nothing(world):
    """The token of the owner's clinic is open to every officer of its province (test_idor.py):
    only the officers of another province are refused it."""
    for changelist, action, key, extra in ACTIONS:  # nothing changes: one world serves them all
        obj = world.objects[key]
        before = state(obj)
        refused = [world.other_province_officer, world.other_province_head]
        if key != "api_token":
            refused.append(world.other_officer)
        for user in refused:
            response = client_of(user).post(f"/quan-tri/{changelist}/", {
                "action": action, "_selected_action": [str(obj.pk)], "index": "0", **extra})
            assert response.status_code == 302, (action, user)
            assert state(obj) == before, (action, user)
            body = " ".join(shown_messages(response))
            assert world.objects["person"].full_name not in body and world.objects["person"].bhxh_code not in body


# --- The visit form and its cost lines -------------------------------------------------------------------

OVER_BY_SUM = {  # two lines each at the most an amount may be, their sum past it
    "lines-0-quantity": "1", "lines-0-unit_price": str(MAX_AMOUNT), "lines-0-amount": str(MAX_AMOUNT),
    "lines-0-bhyt_amount": "0",
    "lines-1-quantity": "1", "lines-1-unit_price": str(MAX_AMOUNT), "lines-1-amount": str(MAX_AMOUNT),
    "lines-1-bhyt_amount": "0",
}
TOO_LARGE = "vượt quá số tiền lớn nhất"


@pytest.fixture
def visit_officer(world):
    return client_of(world.officer)


def test_cost_lines_whose_sum_no_amount_can_hold_are_a_form_error(world, visit_officer):
    facility = world.objects["visit"].facility.code
    for shares in ({}, {"lines-0-bhyt_amount": str(MAX_AMOUNT), "lines-1-bhyt_amount": str(MAX_AMOUNT)}):
        response = visit_officer.post("/quan-tri/health_card/visit/add/",
                                      add_data(world.owner.person.bhxh_code, facility, **{**OVER_BY_SUM, **shares}))
        assert response.status_code == 200, shares
        assert TOO_LARGE in response.content.decode(), shares
        assert not Visit.objects.filter(reference="079-LK-0001").exists(), shares


def test_a_visits_lines_changed_to_a_sum_no_amount_can_hold_are_a_form_error(world, visit_officer):
    obj = world.objects["visit"]
    lines = list(obj.lines.order_by("pk"))
    before = state(obj), [state(line) for line in lines]
    data = add_data("", obj.facility.code, **OVER_BY_SUM, **{
        "lines-TOTAL_FORMS": "2", "lines-INITIAL_FORMS": "2", "lines-0-id": str(lines[0].pk),
        "lines-1-id": str(lines[1].pk), "lines-0-visit": str(obj.pk), "lines-1-visit": str(obj.pk),
        "reference": obj.reference, "kind": obj.kind, "admitted_on": obj.admitted_on.isoformat(),
        "discharged_on": obj.discharged_on.isoformat() if obj.discharged_on else "",
        "diagnosis_code": obj.diagnosis_code, "seen_version": str(obj.revision)})
    data.pop("bhxh_code")
    response = visit_officer.post(f"/quan-tri/health_card/visit/{obj.pk}/change/", data)
    assert response.status_code == 200
    assert TOO_LARGE in response.content.decode()
    assert (state(obj), [state(line) for line in lines]) == before


def changed_visit_data(obj) -> dict:
    """The change form of `obj` as its page posts it, its cost lines unchanged."""
    lines = list(obj.lines.order_by("pk"))
    data = {"facility": str(obj.facility_id), "reference": obj.reference, "kind": obj.kind,
            "admitted_on": obj.admitted_on.isoformat(),
            "discharged_on": obj.discharged_on.isoformat() if obj.discharged_on else "",
            "diagnosis_code": obj.diagnosis_code, "diagnosis_name": obj.diagnosis_name,
            "total_cost": str(obj.total_cost), "bhyt_paid": str(obj.bhyt_paid), "patient_paid": str(obj.patient_paid),
            "seen_version": str(obj.revision),
            "lines-TOTAL_FORMS": str(len(lines)), "lines-INITIAL_FORMS": str(len(lines)), "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "events-TOTAL_FORMS": "0", "events-INITIAL_FORMS": "0", "events-MIN_NUM_FORMS": "0",
            "events-MAX_NUM_FORMS": "0"}
    for index, line in enumerate(lines):
        data.update({f"lines-{index}-{name}": str(getattr(line, name))
                     for name in ("id", "category", "description", "unit", "quantity", "unit_price", "amount",
                                  "bhyt_amount")})
        data[f"lines-{index}-visit"] = str(obj.pk)
    return data


TAMPERED = [  # no management form, a word for a count, a hundred million lines
    ({"lines-TOTAL_FORMS": None, "lines-INITIAL_FORMS": None}, "Dữ liệu quản lý của biểu mẫu bị thiếu"),
    ({"lines-TOTAL_FORMS": "abc"}, "Dữ liệu quản lý của biểu mẫu bị thiếu"),
    ({"lines-TOTAL_FORMS": "100000000"}, "Chỉ được gửi tối đa 1000 dòng."),
]


def test_a_cost_line_formset_tampered_with_is_said_in_vietnamese(world, visit_officer):
    obj = world.objects["visit"]
    lines = list(obj.lines.order_by("pk"))
    before = state(obj), [state(line) for line in lines]
    for tampered, said in TAMPERED:
        data = changed_visit_data(obj)
        for name, value in tampered.items():
            if value is None:
                data.pop(name)
            else:
                data[name] = value
        html = visit_officer.post(f"/quan-tri/health_card/visit/{obj.pk}/change/", data).content.decode()
        assert said in html, tampered
        assert "ManagementForm" not in html and "Please submit" not in html, tampered
        assert (state(obj), [state(line) for line in lines]) == before, tampered


def test_a_cost_line_posted_with_another_visits_line_id_leaves_that_line_as_it_was(world, visit_officer):
    obj = world.objects["visit"]
    other = visit(world.stranger.person, facility=obj.facility.code, reference="LK-KHAC")
    foreign = other.lines.order_by("pk").first()
    before = [state(line) for line in VisitLine.objects.filter(visit=other)]
    data = changed_visit_data(obj)
    for step in ({"lines-0-id": str(foreign.pk), "lines-0-quantity": "3",
                  "lines-0-amount": str(3 * int(data["lines-0-unit_price"]))},
                 {"lines-0-id": str(foreign.pk), "lines-0-DELETE": "on"}):
        response = visit_officer.post(f"/quan-tri/health_card/visit/{obj.pk}/change/", {**data, **step})
        assert response.status_code in (200, 302)
    assert [state(line) for line in VisitLine.objects.filter(visit=other)] == before
