"""The personal area: who is shown (self or a child), and the parent's child registration."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ..forms import ChildRegistrationForm
from ..pages import render_personal_page
from ..selectors import VIEWING_SESSION_KEY, children_of
from ..services.registration import PHOTO_FIELDS, registration_submit
from .registration import status_url


@login_required
def personal(request):
    user = request.user

    def context(person):
        return {
            "person": person,
            "own_person": person if person is not None and person.pk == user.person_id else user.person,
            "agency": person.agency if person else None,
            "show_phone": request.GET.get("hien-so-dien-thoai") == "1",
            "children": children_of(user=user) if user.person_id else [],
            "pending_children": user.child_registrations.filter(status="pending").select_related("agency"),
        }

    return render_personal_page(request, "accounts/personal.html", context, queries=("", "hien-so-dien-thoai=1"))


@login_required
@require_POST
def view_as(request):
    """Switch the personal pages to a child the user may view, or back to themself."""
    child_id = request.POST.get("child", "")
    if child_id and not child_id.isdigit():
        raise Http404
    if child_id:
        child = get_object_or_404(children_of(user=request.user), pk=child_id)
        request.session[VIEWING_SESSION_KEY] = child.pk
        messages.info(request, f"Bạn đang xem thông tin của {child.full_name}.")
    else:
        request.session.pop(VIEWING_SESSION_KEY, None)
    return redirect("accounts:personal")


@login_required
@require_http_methods(["GET", "POST"])
def child_registration(request):
    parent = request.user
    if parent.person_id is None:
        messages.error(request, "Chỉ người tham gia có tài khoản mới đăng ký được cho con.")
        return redirect("accounts:personal")
    form = ChildRegistrationForm(request.POST or None, request.FILES or None, province=parent.person.province)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        photos = {field: default_storage.save(f"registrations/tmp/child-{parent.pk}/{field}.{data[field].name.rsplit('.', 1)[-1]}",
                                              data[field]) for field in PHOTO_FIELDS}
        own = parent.person
        declaration = {
            "bhxh_code": data["bhxh_code"], "full_name": data["full_name"], "birth_date": data["birth_date"],
            "id_type": "", "id_number": "", "province": own.province, "ward": own.ward, "street": own.street or "-",
            "phone": own.phone, "email": parent.email,
        }
        try:
            registration = registration_submit(
                declaration=declaration, photos=photos, agency=data["agency"], parent=parent,
                relationship=data["relationship"], birth_certificate_number=data["birth_certificate_number"],
            )
        except ValidationError as error:
            for name in photos.values():
                default_storage.delete(name)
            for field, errors in error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]:
                for message in errors:
                    form.add_error(field if field in form.fields else None, message)
        else:
            return redirect(status_url(registration))
    return render(request, "accounts/child_registration.html", {"form": form})
