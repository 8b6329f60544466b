"""Admin for the FAQ and news: questions saved through the service (folded search key), lead
images checked and re-encoded like every other upload."""

from django import forms
from django.contrib import admin
from django.core.validators import validate_image_file_extension
from django.utils.translation import gettext

from vssid_portal.admin import FoldedKeySearch, PortalFormFields
from vssid_portal.images import ALLOWED_FORMATS, validate_image

from .models_support import FaqQuestion, FaqTopic, NewsArticle
from .services_support import faq_question_save

LEAD_IMAGE_MAX_BYTES = 5 * 1024 * 1024


class FaqQuestionInline(PortalFormFields, admin.StackedInline):
    model = FaqQuestion
    fields = ["question", "answer", "position", "is_published"]
    extra = 0
    show_change_link = True


@admin.register(FaqTopic)
class FaqTopicAdmin(admin.ModelAdmin):
    list_display = ["title", "slug", "position"]
    prepopulated_fields = {"slug": ["title"]}
    inlines = [FaqQuestionInline]

    def save_formset(self, request, form, formset, change):
        for question in formset.save(commit=False):
            faq_question_save(question=question)
        for question in formset.deleted_objects:
            question.delete()


@admin.register(FaqQuestion)
class FaqQuestionAdmin(FoldedKeySearch, admin.ModelAdmin):
    list_display = ["question", "topic", "position", "is_published", "updated_at"]
    list_filter = ["topic", "is_published"]
    search_fields = ["question", "search_key"]
    list_select_related = ["topic"]

    def save_model(self, request, obj, form, change):
        faq_question_save(question=obj)


class NewsArticleForm(forms.ModelForm):
    class Meta:
        model = NewsArticle
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Django's extension list answers in English ("File extension … is not allowed") and
        # judges a name, not a file: clean_lead_image reads the content, re-encodes it and names it.
        field = self.fields["lead_image"]
        field.validators = [check for check in field.validators if check is not validate_image_file_extension]

    def clean_lead_image(self):
        upload = self.cleaned_data.get("lead_image")
        if not upload or not hasattr(upload, "content_type"):  # unchanged or cleared
            return upload
        clean = validate_image(upload, max_bytes=LEAD_IMAGE_MAX_BYTES)
        clean.content.name = f"anh.{ALLOWED_FORMATS[clean.format]}"
        return clean.content

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("lead_image") and not cleaned.get("lead_image_alt"):
            self.add_error("lead_image_alt", gettext("Hãy mô tả ngắn nội dung ảnh cho người dùng trình đọc màn hình."))
        return cleaned


@admin.register(NewsArticle)
class NewsArticleAdmin(admin.ModelAdmin):
    form = NewsArticleForm
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "summary"]
    prepopulated_fields = {"slug": ["title"]}
    date_hierarchy = "published_at"
