"""The portal's own middleware: the methods it answers, what browsers may keep, the language
it speaks, and posts over Django's upload limits."""

from django.conf import settings
from django.core.exceptions import BadRequest, RequestDataTooBig, TooManyFilesSent
from django.core.files.uploadhandler import FileUploadHandler
from django.http import FileResponse, HttpResponseNotAllowed
from django.http.multipartparser import MultiPartParser
from django.shortcuts import render
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.datastructures import MultiValueDict
from django.utils.translation import gettext, gettext_noop
from whitenoise.middleware import WhiteNoiseFileResponse


def answers_every_method(view):
    """Mark a view that answers every HTTP method itself (an API whose clients read one error shape
    and its own Allow header): AllowedMethodsMiddleware lets any method through to it."""
    view.answers_every_method = True
    return view


def chosen_language(request) -> str:
    """The language of the answer to `request` (see ChosenLanguageMiddleware): the visitor's choice
    of the language switcher, else Vietnamese; Vietnamese always in the officers' admin."""
    chosen = language_switched_to(request)
    if chosen is None or request.path.startswith(reverse("admin:index")):
        return settings.LANGUAGE_CODE
    return chosen


def language_switched_to(request) -> str | None:
    """The language the visitor chose with the language switcher, if they ever did (its cookie)."""
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    return chosen if chosen in {code for code, _name in settings.LANGUAGES} else None


def methods_taken(view) -> tuple[str, ...] | None:
    """The methods a view answers, when it says so: a class view's, or those of Django's
    `require_http_methods` (`require_safe`, `require_GET`...) around a function view; None when the
    view does not say (a function view reading request.method itself)."""
    view_class = getattr(view, "view_class", None)
    if view_class is not None:
        methods = view_class()._allowed_methods()  # without setup(), which answers HEAD with GET
        return tuple([*methods, "HEAD"] if "GET" in methods and "HEAD" not in methods else methods)
    while view is not None:
        code = getattr(view, "__code__", None)
        if code is not None and "request_method_list" in code.co_freevars:
            return tuple(view.__closure__[code.co_freevars.index("request_method_list")].cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def _refusal(request, allowed, text: str) -> HttpResponseNotAllowed:
    """A 405 at an address with no page: one line in the visitor's language."""
    language = chosen_language(request)
    with translation.override(language):
        refusal = gettext(text)
    response = HttpResponseNotAllowed(allowed, content=refusal, content_type="text/plain; charset=utf-8")
    response["Content-Language"] = language
    patch_vary_headers(response, ("Cookie",))
    return response


class AllowedMethodsMiddleware:
    """The portal is read with GET and HEAD and written with POST. Any other method (TRACE,
    OPTIONS, PUT, PATCH, DELETE...) is answered 405 before a view renders anything: Django's
    function views would otherwise answer TRACE and OPTIONS like GET. A view marked with
    `answers_every_method` gives that answer itself.

    At a page's address the refusal is the portal's 405 page (MethodNotAllowedPageMiddleware), so
    it is given in `process_view`, once the session, the language and the page's headers are there
    and before the CSRF check (which would call it a stale form). At an address with no page (a
    static file, an unknown path) it is one line in the visitor's language, answered at once; so is
    WhiteNoise's 405 to a post at a static file (an empty body otherwise)."""

    ALLOWED = ("GET", "HEAD", "POST")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method in self.ALLOWED:
            response = self.get_response(request)
            if isinstance(response, WhiteNoiseFileResponse) and response.status_code == 405:
                return _refusal(request, ("GET", "HEAD"), gettext_noop("Tệp này chỉ đọc được bằng GET hoặc HEAD."))
            return response
        try:
            view = resolve(request.path_info).func
        except Resolver404:
            return _refusal(request, self.ALLOWED, gettext_noop("Cổng chỉ nhận các phương thức GET, HEAD và POST."))
        request.method_refused = not getattr(view, "answers_every_method", False)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(request, "method_refused", False):
            return HttpResponseNotAllowed(self.ALLOWED)  # made a page by MethodNotAllowedPageMiddleware
        return None


class MethodNotAllowedPageMiddleware:
    """A page for a 405 that a view gave without a word: Django's `require_safe`,
    `require_http_methods` and class views answer a method they do not take (a form posted to a
    page that is only read, the admin's logout opened as a link) with an empty body, a blank page
    for the visitor; so does AllowedMethodsMiddleware a method the portal never takes. Last in
    MIDDLEWARE, so that the page gets the headers (CSP, frame) and the language of any other page.
    A 405 with a body of its own (the card-check API's JSON) is kept."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code != 405 or response.streaming or response.content or request.method == "HEAD":
            return response
        page = render(request, "405.html", status=405)
        page["Allow"] = response["Allow"]
        return page


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
    """Vietnamese unless the visitor picked English with the language switcher; the officers' admin
    in Vietnamese always.

    Django's LocaleMiddleware would follow the browser's Accept-Language, and many phones in
    Vietnam are set to English; the national portal speaks Vietnamese until asked otherwise.
    The admin's own pages (labels, actions, messages, the records) are Vietnamese only: with English
    chosen on the portal, Django's frame around them turned English, half of each page in each
    language.

    The request's language is active only while the request is answered: the language the thread
    had before comes back once the response is made (Django's LocaleMiddleware leaves it active),
    so whatever runs next on the thread (a management command, an eager Celery task, the next
    test) does not start in the last visitor's language. A streamed response is rendered lazily,
    after this returns: its content is read with the request's language active again, from its
    first chunk to its end (or its close), and the thread's language comes back after it. A view
    that streams in another language sets it in its generator (the participation CSV is
    Vietnamese). A file (FileResponse) is streamed as it is, nothing in it translated, and keeps the
    server's file wrapper; so is an asynchronous stream, which the portal (served by WSGI) has none of.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        language = chosen_language(request)
        request.LANGUAGE_CODE = language
        with translation.override(language):
            response = self.get_response(request)
        if response.streaming and not response.is_async and not isinstance(response, FileResponse):
            response.streaming_content = _streamed_in(language, response.streaming_content)
        response.headers.setdefault("Content-Language", language)
        patch_vary_headers(response, ("Cookie",))
        return response


def _streamed_in(language, chunks):
    """The chunks of a streamed response, read with `language` active; the thread's language back
    at the end, or when the server closes the response early (the visitor went away)."""
    with translation.override(language):
        yield from chunks


def handles_upload_limits(view):
    """Mark a view whose form takes files and which says itself, in the form, that a post went over
    Django's upload limits (`upload_limit(request)`): UploadLimitsMiddleware hands it the answers
    read before the limit instead of answering the post with a page of its own."""
    view.handles_upload_limits = True
    return view


def upload_limit(request) -> str:
    """The limit that cut this post short: "files" (more than DATA_UPLOAD_MAX_NUMBER_FILES files),
    "size" (answers over DATA_UPLOAD_MAX_MEMORY_SIZE), else ""."""
    return getattr(request, "upload_limit", "")


def upload_limit_message() -> str:
    """What a form says of a post cut at the upload limits: no file came, and maybe not its last answers."""
    return gettext("Nội dung vừa gửi vượt giới hạn của cổng (tối đa %(files)s tệp và %(size)s MB nội dung khai "
                   "mỗi lần) nên chưa được nhận đủ: không tệp nào được nhận và có thể thiếu các mục khai cuối. Hãy "
                   "kiểm tra lại các mục, chọn ít tệp hơn hoặc rút gọn nội dung quá dài rồi gửi lại.") % {
        "files": settings.DATA_UPLOAD_MAX_NUMBER_FILES, "size": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024)}


class UploadLimitsMiddleware:
    """A post over Django's upload limits (too many files chosen at once, answers too large) raises
    while the CSRF check reads it: a bare 400, everything typed lost. It is read here first, before
    CsrfViewMiddleware. A view marked `handles_upload_limits` gets a multipart post cut at the limit
    with the answers read before it (the CSRF token and the form's key come first in its forms) and
    no file, and `upload_limit(request)` set; any other view's post is answered with a page (413) that
    says what to do. A post it cannot read at all gets the 400 page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or getattr(view_func, "csrf_exempt", False):
            return None  # read here only what the CSRF check would read anyway (an API may read its body)
        reader = None
        if getattr(view_func, "handles_upload_limits", False) and request.content_type == "multipart/form-data":
            reader = _AnswersBeforeTheLimit(request)
            request.upload_handlers.insert(0, reader)
        try:
            request.POST
        except (TooManyFilesSent, RequestDataTooBig):
            return render(request, "413.html", {
                "max_files": settings.DATA_UPLOAD_MAX_NUMBER_FILES,
                "max_megabytes": settings.DATA_UPLOAD_MAX_MEMORY_SIZE // (1024 * 1024),
            }, status=413)
        except BadRequest:
            # A form post declared in a charset other than UTF-8: the 400 page production shows, in
            # development too, where Django's debug page would read the post again and fail (a 500).
            return render(request, "400.html", status=400)
        if reader is not None:
            request.upload_limit = reader.limit
        return None


class _CutParser(MultiPartParser):
    """Django's multipart parser, but a post over a limit ends there: the fields read so far, no file."""

    limit = ""

    def parse(self):
        try:
            return super().parse()
        except TooManyFilesSent:
            self.limit = "files"
        except RequestDataTooBig:
            self.limit = "size"
        self._post._mutable = False  # as Django leaves a whole post
        return self._post, MultiValueDict()  # the files read were closed by parse()


class _AnswersBeforeTheLimit(FileUploadHandler):
    """Parses the whole post itself (`handle_raw_input`), with the request's other upload handlers."""

    limit = ""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        others = [handler for handler in self.request.upload_handlers if handler is not self]
        parser = _CutParser(META, input_data, others, encoding)
        answers = parser.parse()
        self.limit = parser.limit
        return answers

    def receive_data_chunk(self, raw_data, start):  # never reached: the post is parsed above
        return raw_data

    def file_complete(self, file_size):
        return None
