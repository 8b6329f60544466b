from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_http_methods

from vssid_portal.paging import paginate

from . import selectors, services

NOTICES_PER_PAGE = 20


@login_required
def notice_list(request):
    paged = paginate(selectors.notices_for(user=request.user), request.GET.get("trang"), per_page=NOTICES_PER_PAGE)
    unread = selectors.unread_notice_count(user=request.user)
    newest = selectors.newest_notice_id(user=request.user) if unread else None
    # Each notice is written in the language its reader had chosen when it was sent: said when one
    # listed is not in the page's.
    other_language = any(notice.language != get_language() for notice in paged["page"].object_list)
    return render(request, "notifications/notice_list.html",
                  {**paged, "unread": unread, "newest": newest, "other_language": other_language})


@login_required
def notice_detail(request, pk):
    notice = get_object_or_404(selectors.notices_for(user=request.user), pk=pk)
    services.notice_mark_read(user=request.user, message_id=notice.pk)
    return render(request, "notifications/notice_detail.html", {"notice": notice})


@login_required
@require_http_methods(["GET", "POST"])
def notice_mark_all_read(request):
    """POST marks read every notice up to the newest the list showed (`den`), not one that came
    since; without a number, all. A GET (the address the login page comes back to when the
    session had ended before the button was pressed) marks nothing and shows the notices."""
    if request.method == "POST":
        try:
            up_to_id = int(request.POST.get("den", ""))
        except ValueError:
            up_to_id = None
        services.notice_mark_read(user=request.user, up_to_id=up_to_id)
        messages.success(request, gettext("Đã đánh dấu tất cả thông báo là đã đọc."))
    return redirect("notifications:index")


def dev_inbox(request):
    """SMS and e-mail the embedded portal 'sent', readable in the browser (DEBUG only)."""
    if not settings.DEBUG:
        raise Http404
    return render(request, "notifications/dev_inbox.html", {"messages_sent": selectors.recent_outgoing_messages()})
