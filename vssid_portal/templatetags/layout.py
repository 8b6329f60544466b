"""The page layout's header and footer, rendered once per process for each language, login state
and menu item instead of on every request.

They are the same HTML for everyone who shares those three, except for a few values of the
request: the CSRF token of the header's two forms, the address to come back to after a language
change, the unread-notice badge and the session's absolute end the footer's warning names. Those are left as holes and filled in on every request, with
the same escaping the template would apply. Rendering the two parts cost about half a millisecond
a page (a dozen `{% url %}` and twenty translations); filling a copy costs three string
replacements. Every copy is dropped when a setting changes, and with the process on a deploy.
"""

from django import template
from django.contrib.messages import constants
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template.loader import render_to_string
from django.urls import get_script_prefix, reverse
from django.utils import translation
from django.utils.html import conditional_escape, escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

from vssid_portal.context_processors import portal
from vssid_portal.pagecache import hole

register = template.Library()

# Menu items of the header and the URL names they lead to.
MENU = {"home": "home", "lookup": "lookup:index", "services": "public_services:index",
        "personal": "accounts:personal", "support": "lookup:support", "notices": "notifications:index",
        "login": "account_login", "registration": "accounts:registration"}
# Menu items whose pages below them (a lookup under /tra-cuu/, a notice, a registration step) mark them as the
# current section.
SECTIONS = ("lookup", "notices", "registration")
HOLES = ("csrf_token", "next_path", "unread_notice_badge", "session_ends_in", "session_ends_at")
# About a hundred copies exist (parts × languages × login states × menu items); a bound all the
# same, as the script prefix comes from the server's environment.
MAX_COPIES = 512

_parts: dict[tuple, str] = {}
_menus: dict[str, dict[str, str]] = {}


@receiver(setting_changed)
def _forget(**kwargs):
    _parts.clear()
    _menus.clear()


def menu_position(path: str) -> tuple[str, str]:
    """The header's current menu item for a path and how it is current: ("lookup", "page") on the
    lookups page, ("lookup", "true") on a lookup below it, ("", "") elsewhere."""
    prefix = get_script_prefix()
    urls = _menus.get(prefix)
    if urls is None:
        if len(_menus) >= MAX_COPIES:
            _menus.clear()
        urls = _menus[prefix] = {item: reverse(name) for item, name in MENU.items()}
    for item, url in urls.items():
        if path == url:
            return item, "page"
    for item in SECTIONS:
        if path.startswith(urls[item]):
            return item, "true"
    return "", ""


@register.simple_tag(takes_context=True)
def layout_part(context, template_name):
    request = context.get("request")  # None only for a page rendered outside a request
    user = context.get("user")  # from the auth context processor: anonymous before authentication ran
    authenticated = bool(user is not None and user.is_authenticated)
    item, current = menu_position(request.path) if request is not None else ("", "")
    key = (template_name, translation.get_language(), get_script_prefix(), authenticated, item, current)
    html = _parts.get(key)
    if html is None:
        if len(_parts) >= MAX_COPIES:
            _parts.clear()
        html = _parts[key] = render_to_string(template_name, {
            **portal(None), **{name: mark_safe(hole(name)) for name in HOLES},
            "authenticated": authenticated, "menu_item": item, "menu_current": current,
        }).strip()
    values = {"csrf_token": conditional_escape(context.get("csrf_token", "")),
              # a page shown at another address than its own (a refused download's) names its own
              "next_path": escape(context.get("next_path") or request.get_full_path()) if request is not None else "",
              "unread_notice_badge": conditional_escape(context.get("unread_notice_badge", "")),
              # the session's absolute end, in the footer's warning before it (accounts.context_processors)
              **{name: conditional_escape(context.get(name, "")) for name in ("session_ends_in", "session_ends_at")}}
    for name in HOLES:
        html = html.replace(hole(name), values[name])
    return mark_safe(html)


@register.filter
def has_error_message(messages) -> bool:
    """Whether the messages shown with the page include one of level ERROR. The messages are read
    again below the header: iterating them twice in one request shows each once."""
    return any(message.level == constants.ERROR for message in messages or ())


@register.filter
def has_tagged_message(messages, tag) -> bool:
    """Whether a message shown with the page carries `tag` among its extra tags: a page's box that
    would say the same sentence leaves it to the messages box."""
    return any(tag in (message.extra_tags or "").split() for message in messages or ())


class ErrorTitleNode(template.Node):
    def __init__(self, nodelist, condition):
        self.nodelist, self.condition = nodelist, condition

    def render(self, context):
        title = self.nodelist.render(context).strip()
        failed = has_error_message(context.get("messages")) or (
            self.condition is not None and self.condition.resolve(context, ignore_failures=True))
        prefix = conditional_escape(gettext("Lỗi")) + ": "
        if failed and not title.startswith(prefix):
            title = prefix + title
        return mark_safe(title)


@register.tag
def error_title(parser, token):
    """`{% error_title [condition] %}…{% enderror_title %}`: the page's title, prefixed "Lỗi: " when
    an error message comes with the page or `condition` holds (once: a title that already says so
    keeps its own prefix)."""
    bits = token.split_contents()
    if len(bits) > 2:
        raise template.TemplateSyntaxError("error_title takes at most one condition")
    nodelist = parser.parse(("enderror_title",))
    parser.delete_first_token()
    return ErrorTitleNode(nodelist, parser.compile_filter(bits[1]) if len(bits) == 2 else None)
