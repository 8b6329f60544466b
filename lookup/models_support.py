"""FAQ and news shown in the "Hỗ trợ" menu, managed in the admin.

Lead images of news articles are public content, unlike everything in the default (private)
storage: they live in their own folder (the setting and environment variable `NEWS_MEDIA_ROOT`,
default `var/media/news`) and are served by the portal's own view (`lookup.views_support.news_image`)
for published articles only.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

__all__ = ["FaqTopic", "FaqQuestion", "NewsArticle", "news_image_storage"]


class NewsImageStorage(FileSystemStorage):
    """Public lead images: re-encoded on upload (vssid_portal.images), no URL of their own."""

    def __init__(self, **kwargs):
        super().__init__(file_permissions_mode=0o644, directory_permissions_mode=0o755, **kwargs)

    @property
    def base_location(self):
        return settings.NEWS_MEDIA_ROOT

    @property
    def location(self):
        return os.path.abspath(self.base_location)


_news_images = NewsImageStorage()


def news_image_storage():
    return _news_images


class FaqTopic(models.Model):
    title = models.CharField(_("chủ đề"), max_length=120)
    slug = models.SlugField(_("đường dẫn"), max_length=60, unique=True)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)

    class Meta:
        ordering = ["position", "title"]
        verbose_name = _("chủ đề câu hỏi thường gặp")
        verbose_name_plural = pgettext_lazy("số nhiều", "chủ đề câu hỏi thường gặp")

    def __str__(self):
        return self.title


class FaqQuestion(models.Model):
    topic = models.ForeignKey(FaqTopic, on_delete=models.PROTECT, related_name="questions", verbose_name=_("chủ đề"))
    question = models.CharField(_("câu hỏi"), max_length=300)
    answer = models.TextField(_("trả lời"), max_length=5000)
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=0)
    is_published = models.BooleanField(_("hiển thị"), default=True)
    # Accent- and case-folded question + answer (vssid_portal.text.fold), set by the service.
    search_key = models.TextField(editable=False, default="")
    updated_at = models.DateTimeField(_("cập nhật"), auto_now=True)

    class Meta:
        ordering = ["topic__position", "position", "pk"]
        verbose_name = _("câu hỏi thường gặp")
        verbose_name_plural = pgettext_lazy("số nhiều", "câu hỏi thường gặp")

    def __str__(self):
        return self.question


class NewsArticle(models.Model):
    title = models.CharField(_("tiêu đề"), max_length=200)
    slug = models.SlugField(_("đường dẫn"), max_length=120, unique=True)
    summary = models.CharField(_("tóm tắt"), max_length=400)
    body = models.TextField(_("nội dung"), help_text=_("Văn bản thuần; mỗi đoạn cách nhau một dòng trống."))
    lead_image = models.ImageField(_("ảnh đại diện"), storage=news_image_storage, upload_to="lead", blank=True)
    lead_image_alt = models.CharField(_("mô tả ảnh (cho người khiếm thị)"), max_length=200, blank=True)
    published_at = models.DateTimeField(_("ngày đăng"))
    is_published = models.BooleanField(_("đã đăng"), default=False)

    class Meta:
        ordering = ["-published_at", "-pk"]
        indexes = [models.Index(fields=["is_published", "-published_at"], name="lookup_news_pub_idx")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(lead_image="") | ~models.Q(lead_image_alt=""), name="lookup_news_image_has_alt"
            )
        ]
        verbose_name = _("tin tức")
        verbose_name_plural = pgettext_lazy("số nhiều", "tin tức")

    def __str__(self):
        return self.title
