"""The portal's own middleware: the methods it answers, what browsers may keep, and the language
it speaks."""

from django.conf import settings
from django.http import HttpResponseNotAllowed
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers


def answers_every_method(view):
    """Mark a view that answers every HTTP method itself (an API whose clients read one error shape
    and its own Allow header): AllowedMethodsMiddleware lets any method through to it."""
    view.answers_every_method = True
    return view


class AllowedMethodsMiddleware:
    """The portal is read with GET and HEAD and written with POST. Any other method (TRACE,
    OPTIONS, PUT, PATCH, DELETE...) is answered 405 before a view renders anything: Django's
    function views would otherwise answer TRACE and OPTIONS like GET. A view marked with
    `answers_every_method` gives that answer itself."""

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method not in self.ALLOWED and not self._answered_by_view(request):
            return HttpResponseNotAllowed(self.ALLOWED, content="Cổng chỉ nhận các phương thức GET, HEAD và POST.",
                                          content_type="text/plain; charset=utf-8")
        return self.get_response(request)

    @staticmethod
    def _answered_by_view(request) -> bool:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return getattr(match.func, "answers_every_method", False)


class NoStoreWithSessionMiddleware:
    """A page answered to a visitor with a session (a citizen, an officer, a registration in
    progress) may show personal data: no browser or proxy keeps it, so the back button on a
    shared computer after logging out shows nothing. A view that says otherwise (a private file,
    a public list) keeps its own Cache-Control."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response and settings.SESSION_COOKIE_NAME in request.COOKIES:
            add_never_cache_headers(response)
        return response


class ChosenLanguageMiddleware:
    """Vietnamese unless the visitor picked English with the language switcher.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
    Vietnam are set to English; the national portal speaks Vietnamese until asked otherwise.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.available = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.available else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response
