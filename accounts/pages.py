"""Pages about the person in view (the user, or a child their parent is viewing), stored once per
content version and served from the cache until something they show is written
(vssid_portal.pagecache, accounts.content_version)."""

from vssid_portal.pagecache import Page

from .selectors import content_version, person_in_view, viewed_person_id


def render_personal_page(request, template_name: str, build_context, *, queries=("",), parts=()):
    """Render `template_name` with `build_context(person)`, or serve it stored.

    The version is read before anything the page shows, so a write that lands in between can only
    make the stored page newer than its key, never older. A stored page for a child stays valid
    only while the parent's version does: a guardianship that ends moves it. Rendered pages whose
    person turned out not to be the one the session named (a child no longer viewable) are not
    stored."""
    user = request.user
    viewed_id = viewed_person_id(request)
    version = content_version(user.person_id, viewed_id) if user.person_id and viewed_id else None
    page = Page(request, template_name, version=version, parts=parts, queries=queries)
    html = page.cached()
    if html is None:
        person = person_in_view(request)
        html = page.render(build_context(person), store=person is not None and person.pk == viewed_id)
    return page.response(html)
