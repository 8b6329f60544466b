"""The holder's pages: the card drawn like the physical one, its on-screen QR (full screen, signed,
good for 10 minutes and refreshed by static/health_card/js/qr-refresh.js; without JavaScript a
reload link), the printable PDF, and who has checked the card ("Ai đã xem thẻ của tôi").

Every page works on the person in view (the user, or a child their parent is viewing); the QR
image and the PDF carry the card's id, and a card of anybody else is a 404.
"""

import datetime
import hashlib
import io
import mimetypes
import time
from pathlib import PurePosixPath

import qrcode
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from accounts.adapter import workplace
from accounts.pages import render_personal_page
from accounts.selectors import person_in_view, viewing
from vssid_portal.files import DEFAULT_MAX_AGE, private_file_url
from vssid_portal.paging import paginate
from vssid_portal.pdf import data_uri, qr_data_uri, render_pdf
from vssid_portal.ratelimit import LimitRefusal, counted_or_let_through, minutes_left

from .. import keys, qr
from ..models import Card
from ..qr import SCREEN_SECONDS, Purpose
from ..selectors import (
    card_checks_for,
    card_for,
    card_of,
    card_state,
    checker_name,
    guardian_name,
    portrait_for,
    printable,
    shows_qr,
)
from ..services import card_fields, card_qr

QR_WINDOW_SECONDS = 5 * 60  # a new on-screen QR every 5 minutes, each good for 10
REFRESH_SECONDS = 60
CHECKS_PER_PAGE = 50
PHOTO_LINK_WINDOW_SECONDS = DEFAULT_MAX_AGE // 3  # a stored card page serves a third of its portrait link's life
# The printable PDF is drawn by WeasyPrint in the request, about a second of a web worker each: a login
# may have it drawn this many times (all the cards it views together), enough to print again after a
# paper jam, while a script looping on the link no longer holds the workers.
PRINT_RATE = "10/h"


def print_limited(wait: float) -> str:
    """The refusal past PRINT_RATE, with the minutes left of its hour (`wait` seconds), as Retry-After says them."""
    minutes = minutes_left(wait)
    return ngettext("Bạn đã tải bản in thẻ BHYT quá nhiều lần trong một giờ. Hãy thử lại sau %(minutes)s phút; "
                    "bản đã tải về vẫn dùng được.",
                    "Bạn đã tải bản in thẻ BHYT quá nhiều lần trong một giờ. Hãy thử lại sau %(minutes)s phút; "
                    "bản đã tải về vẫn dùng được.", minutes) % {"minutes": minutes}


def _person(request):
    person = person_in_view(request)
    if person is None:
        raise Http404("Tài khoản này không gắn với người tham gia BHYT nào.")
    return person


def _own_card(request, pk: int) -> Card:
    card = card_of(pk=pk, person=_person(request))
    if card is None:
        raise Http404("Không có thẻ này trong thẻ của người đang xem.")
    return card


def photo_url(request, person) -> str:
    name = portrait_for(person=person)
    if not name:
        return ""
    return private_file_url(name, user=request.user, inline=True, filename="anh-chan-dung" + PurePosixPath(name).suffix)


@login_required
@never_cache
@require_safe
def card_page(request, *, own_path: str | None = None):
    """The card page. Shown at another address (a refused print's), the layout's `next` (the language
    switch, the session dialog) leads to `own_path`, the card page's: not to that address again."""
    def context(person):  # a login without a registry person sees the "no card" notice
        card = card_for(person=person)
        context = {**viewing(request.user, person), "card": card}
        if own_path is not None:
            context["next_path"] = own_path
        if person is None:  # clinic staff or an officer: where their work is, as their personal page says
            context["workplace"] = workplace(request.user)
        if card is not None:
            # What the card is depends on the day as well as on its row: a stored page is kept
            # for one day at most (vssid_portal.pagecache keys it by the date).
            context.update(photo_url=photo_url(request, person), guardian=guardian_name(person),
                           state=card_state(card), shows_qr=shows_qr(card), printable=printable(card))
        return context

    return render_personal_page(request, "health_card/index.html", context,
                                parts=(int(time.time()) // PHOTO_LINK_WINDOW_SECONDS,))


@login_required
@never_cache
@require_safe
def card_qr_page(request):
    """The large QR on a page of its own: the "Mã QR" button's target, without JavaScript too.
    Opened when there is no QR to show (a bookmark, the reload link of a card that expired or was
    replaced meanwhile), it leads to the card page, which says what the card's state is."""
    person = person_in_view(request)
    card = card_for(person=person) if person is not None else None
    if card is None or not shows_qr(card):
        if viewing(request.user, person)["viewing_child"]:
            return _back_to_card(request, gettext(
                "Không có mã QR để xuất trình: hôm nay %(name)s không có thẻ BHYT đang có giá trị sử dụng. "
                "Tình trạng thẻ ở ngay bên dưới.") % {"name": person.full_name})
        return _back_to_card(request, gettext(
            "Không có mã QR để xuất trình: hôm nay bạn không có thẻ BHYT đang có giá trị sử dụng. "
            "Tình trạng thẻ ở ngay bên dưới."))
    # The image fetched with the page is of this window or, a moment later, the next: good at
    # least until this window's QR stops being, which is what a page without JavaScript says.
    valid_until = datetime.datetime.fromtimestamp(_window(time.time()) + SCREEN_SECONDS, tz=datetime.UTC)
    return render(request, "health_card/qr.html", {
        "person": person, "card": card, "refresh_seconds": REFRESH_SECONDS,
        "screen_minutes": SCREEN_SECONDS // 60, "valid_until": valid_until,
    })


def _back_to_card(request, message: str):
    messages.warning(request, message)
    return redirect("health_card:index")


def _window(now: float) -> int:
    """The start of the QR window `now` falls in (a Unix time)."""
    return int(now // QR_WINDOW_SECONDS) * QR_WINDOW_SECONDS


def screen_qr_png(card: Card, now: float | None = None) -> bytes:
    """The on-screen QR of a card for the current window, drawn once for what it encodes: kept under
    the hash of the fields it carries, the window and the signing key's choice (keys.signing_choice),
    so that a change of anything it carries, a name corrected without a reissue as much as a reissue,
    a new key or a key retired in the admin, shows at once. The fields come from the card as card_of
    read it, with no query; the signature, whose key choice reads the database, is made only for an
    image not yet drawn."""
    window = _window(time.time() if now is None else now)
    made_of = f"{keys.signing_choice()}|{window}|{qr.unsigned_text(card_fields(card, purpose=Purpose.SCREEN))}"
    key = f"health_card:qr:{hashlib.sha256(made_of.encode('utf-8')).hexdigest()}"
    png = cache.get(key)
    if png is None:
        image = qrcode.make(card_qr(card, purpose=Purpose.SCREEN, issued_at=window),
                            error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=8, border=4)
        out = io.BytesIO()
        image.save(out, format="PNG")
        png = out.getvalue()
        cache.set(key, png, QR_WINDOW_SECONDS + 30)
    return png


@login_required
@never_cache
@require_safe
def card_qr_image(request, pk: int):
    card = _own_card(request, pk)
    if not shows_qr(card):
        raise Http404("Thẻ không có giá trị sử dụng hôm nay.")
    response = HttpResponse(screen_qr_png(card), content_type="image/png")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_safe
def card_pdf(request, pk: int):
    """The printable card: its QR is signed for print (valid with the card, no 10-minute limit)."""
    card = _own_card(request, pk)
    if not printable(card):  # a bookmarked link of a card expired, replaced or revoked since
        return _back_to_card(request, gettext(
            "Thẻ này không in được: chỉ in được thẻ đang sử dụng hoặc sắp có giá trị sử dụng. "
            "Tình trạng thẻ ở ngay bên dưới."))
    if refusal := _print_refused(request):  # the card page saying so, with the wait in Retry-After
        messages.error(request, refusal.message)
        return refusal.answer(card_page(request, own_path=reverse("health_card:index")))
    photo = ""
    name = portrait_for(person=card.person)
    if name:
        try:
            with default_storage.open(name, "rb") as handle:
                photo = data_uri(mimetypes.guess_type(name)[0] or "image/jpeg", handle.read())
        except (FileNotFoundError, OSError):
            photo = ""
    pdf = render_pdf("health_card/card_pdf.html", {
        "card": card, "person": card.person, "guardian": guardian_name(card.person, first_guardian=card.first_guardian_name),
        "qr_uri": qr_data_uri(card_qr(card, purpose=Purpose.PRINT), border=2), "photo_uri": photo,
    })
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="the-bhyt-{card.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def _print_refused(request) -> LimitRefusal | None:
    """Counts a PDF drawn for this login against PRINT_RATE: the refusal, with the seconds left of the
    limit's window, when it is over the limit, or None. Let through uncounted while Redis is down: the
    holder's own card, which a clinic may be waiting for."""
    return counted_or_let_through(request, group="health_card.card_pdf", key="user", rate=PRINT_RATE,
                                  too_many=print_limited)


@login_required
@never_cache
@require_safe
def access_log(request):
    """Ai đã xem thẻ của tôi: every check of the person's cards (holder or guardian only), newest
    first, CHECKS_PER_PAGE a page."""
    person = _person(request)
    paged = paginate(card_checks_for(person=person), request.GET.get("trang"), per_page=CHECKS_PER_PAGE)
    return render(request, "health_card/access_log.html", {
        **viewing(request.user, person), **paged,
        "checks": [(check, checker_name(check, viewer=request.user)) for check in paged["page"]],
    })
