"""Officers' admin for feedback: officers holding the permissions read the feedback sent to
their agency's subtree (superusers: all), open its attachment through a permission-checked view, and answer once. The answer
goes through `feedback_answer`, which sends it to the sender by SMS and/or e-mail."""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_lazy

from lookup.admin_filters import OfficerAgencyFilter
from notifications.texts import sent_as_typed
from vssid_portal.admin import (
    FoldedKeySearch,
    NotFoundOutsideScope,
    RelationLinksOnlyWhereAllowed,
    SaysWhyNoAgencySeesNothing,
    TextareaAsTyped,
    year_filter,
)
from vssid_portal.files import private_file_response

from ..models import Feedback
from ..selectors import feedback_contact_channels, feedback_visible_to
from ..services import FeedbackAlreadyAnswered, feedback_answer

READ_ONLY = ["tracking_number", "kind", "topic", "agency", "created_at", "full_name", "phone", "email", "user",
             "content", "attachment_link", "status", "answered_by", "answered_at"]


ANSWER_MISSING = gettext_lazy("Nhập nội dung trả lời trước khi lưu.")


class FeedbackAnswerForm(forms.ModelForm):
    class Meta:
        model = Feedback
        fields = ["answer"]
        widgets = {"answer": TextareaAsTyped(attrs={"rows": 8})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "answer" in self.fields:  # absent once answered: the page is read-only
            self.fields["answer"].required = True  # marked so; the model allows none until answered
            self.fields["answer"].help_text = sent_as_typed(feedback_contact_channels(self.instance))
            self.fields["answer"].error_messages["required"] = ANSWER_MISSING

    def clean_answer(self):
        answer = (self.cleaned_data.get("answer") or "").strip()
        if not answer:
            raise ValidationError(ANSWER_MISSING)
        return answer


FEEDBACK_SINCE = 2025  # the first year the list filter offers: feedback is sent on the portal since its start


@admin.register(Feedback)
class FeedbackAdmin(SaysWhyNoAgencySeesNothing, FoldedKeySearch, NotFoundOutsideScope, RelationLinksOnlyWhereAllowed,
                    admin.ModelAdmin):
    no_agency_warning = gettext_lazy("Tài khoản của bạn chưa được gắn với cơ quan BHXH nào nên không có phản ánh, kiến nghị nào để xử lý. "
                                     "Hãy đề nghị quản trị viên gắn tài khoản với cơ quan BHXH nơi bạn làm việc.")
    form = FeedbackAnswerForm
    change_form_template = "admin/public_services/feedback/change_form.html"
    list_display = ["tracking_number", "kind", "topic", "agency", "full_name", "status", "created_at"]
    # The agencies of the officer's scope that received feedback (a province officer: its districts).
    # The country's feedback for a superuser: no date hierarchy, no count of the whole table.
    list_filter = ["status", "kind", "topic", ("agency", OfficerAgencyFilter),
                   year_filter("created_at", since=FEEDBACK_SINCE)]
    show_full_result_count = False
    search_fields = ["tracking_number", "name_key", "email"]
    list_select_related = ["agency", "user"]


    def get_queryset(self, request):
        return feedback_visible_to(request.user)

    def get_fields(self, request, obj=None):
        return [*READ_ONLY[:-3], "status", "answer", "answered_by", "answered_at"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and (obj.status == Feedback.Status.ANSWERED or not self._can_answer(request)):
            return [*READ_ONLY, "answer"]
        return READ_ONLY

    @staticmethod
    def _can_answer(request) -> bool:
        return request.user.has_perm("public_services.answer_feedback")

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return self._can_answer(request) and (obj is None or obj.status == Feedback.Status.RECEIVED)

    @admin.display(description=gettext_lazy("Tệp đính kèm"))
    def attachment_link(self, obj):
        if not obj.attachment:
            return gettext_lazy("Không có")
        return format_html('<a href="{}">{}</a>', reverse("admin:public_services_feedback_attachment", args=[obj.pk]),
                           gettext_lazy("Mở tệp đính kèm"))

    def get_urls(self):
        own = [path("<id:pk>/dinh-kem/", self.admin_site.admin_view(self.attachment_view),
                    name="public_services_feedback_attachment")]
        return own + super().get_urls()

    def attachment_view(self, request, pk):
        feedback = self.get_queryset(request).filter(pk=pk).first()
        if feedback is None or not feedback.attachment or not self.has_view_permission(request, feedback):
            raise Http404
        name = feedback.attachment.name
        return private_file_response(name, filename=f"{feedback.tracking_number}-{name.rsplit('/', 1)[-1]}",
                                     inline=name.endswith((".jpg", ".png", ".webp")))

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """An answer posted to a feedback answered meanwhile (a colleague was quicker, or a double
        click) lands on the read-only feedback with a message saying who answered and when."""
        if request.method == "POST" and object_id is not None and self._can_answer(request):
            feedback = self.get_object(request, unquote(object_id))
            if feedback.status == Feedback.Status.ANSWERED:
                return self._already_answered(request, FeedbackAlreadyAnswered(feedback))
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except FeedbackAlreadyAnswered as answered:  # in the moment between reading the page and saving
            return self._already_answered(request, answered)

    def _already_answered(self, request, answered: FeedbackAlreadyAnswered):
        feedback, typed = answered.feedback, request.POST.get("answer", "").strip()
        if feedback.answered_by_id == request.user.pk and typed == feedback.answer:  # a double click
            self._answered_message(request, feedback)
        elif typed:
            messages.warning(request, gettext("%(message)s Câu trả lời bạn vừa nhập chưa được gửi: “%(answer)s”") % {
                "message": answered.message, "answer": typed})
        else:
            messages.info(request, answered.message)
        return redirect("admin:public_services_feedback_change", feedback.pk)

    def save_model(self, request, obj, form, change):
        try:
            feedback_answer(feedback=obj, officer=request.user, answer=form.cleaned_data["answer"])
        except FeedbackAlreadyAnswered:
            raise  # changeform_view says so
        except (ValidationError, PermissionDenied) as exc:
            raise PermissionDenied(str(exc)) from exc

    def response_change(self, request, obj):
        """The portal's message alone: Django's would add that the feedback "can be edited again
        below", and an answered one cannot."""
        self._answered_message(request, obj)
        return self.response_post_save_change(request, obj)

    @staticmethod
    def _answered_message(request, feedback):
        messages.success(request, gettext("Đã trả lời phản ánh %(number)s; câu trả lời đang được gửi đến người gửi.")
                         % {"number": feedback.tracking_number})
