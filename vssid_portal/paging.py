"""Page numbers as the portal's lists take them (`?trang=N`)."""

from django.core.paginator import Paginator


def page_number(value: str | None):
    """The page asked for; a number below 1 asks for the first page (Paginator.get_page would
    show the last). Anything else goes to get_page as it came: past the end is the last page,
    not a number is the first."""
    try:
        return 1 if int(value) < 1 else value
    except (TypeError, ValueError):
        return value


def paginate(items, value: str | None, *, per_page: int) -> dict:
    """The page of `items` asked for (`value`: the `trang` parameter) and its elided page links:
    `page` and `page_range`, as includes/pagination.html takes them."""
    paginator = Paginator(items, per_page)
    page = paginator.get_page(page_number(value))
    return {"page": page, "page_range": list(paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1))}
