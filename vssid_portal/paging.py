"""Page numbers as the portal's lists take them (`?trang=N`)."""


def page_number(value: str | None):
    """The page asked for; a number below 1 asks for the first page (Paginator.get_page would
    show the last). Anything else goes to get_page as it came: past the end is the last page,
    not a number is the first."""
    try:
        return 1 if int(value) < 1 else value
    except (TypeError, ValueError):
        return value
