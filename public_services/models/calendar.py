"""Public holidays (a data table editable in the admin) for working-day due dates.

One row per date that differs from an ordinary week: a public holiday (Labour Code 2019 art. 112),
a day off given in exchange for a holiday on a weekly rest day or swapped by the government's
yearly arrangement (nghỉ bù), and a weekend day worked to make up for a swapped day (ngày làm
bù). public_services.calendar turns the rows into working days; its HOLIDAYS table seeds them.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from vssid_portal.templatetags.vn_format import vn_date

__all__ = ["Holiday"]

SATURDAY = 5  # date.weekday(): Monday is 0


class Holiday(models.Model):
    class Kind(models.TextChoices):
        HOLIDAY = "holiday", _("Ngày nghỉ lễ, Tết")
        COMPENSATORY = "compensatory", _("Ngày nghỉ bù, nghỉ hoán đổi")
        WORKING_SATURDAY = "working_saturday", _("Ngày làm bù (cuối tuần đi làm)")

    date = models.DateField(_("ngày"), unique=True)
    name = models.CharField(_("tên"), max_length=200)
    kind = models.CharField(_("loại"), max_length=20, choices=Kind.choices, default=Kind.HOLIDAY)

    class Meta:
        ordering = ["date"]
        verbose_name = _("ngày nghỉ lễ hoặc làm bù")
        verbose_name_plural = _("lịch nghỉ lễ, Tết")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["holiday", "compensatory", "working_saturday"]),
                name="holiday_kind_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{vn_date(self.date)} – {self.name}"

    def clean(self):
        super().clean()
        if self.date is None:
            return
        weekend = self.date.weekday() >= SATURDAY
        if self.kind == self.Kind.WORKING_SATURDAY and not weekend:
            raise ValidationError(
                {"kind": gettext("Ngày làm bù phải là thứ Bảy hoặc Chủ nhật: ngày thường vốn đã là ngày làm việc.")}
            )
        if self.kind == self.Kind.COMPENSATORY and weekend:
            raise ValidationError({"kind": gettext("Ngày nghỉ bù phải là ngày làm việc (thứ Hai đến thứ Sáu).")})
