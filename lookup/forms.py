"""GET forms of the public lookup pages: every field optional, each with a label.

A URL may be edited by hand: a value that is not valid is shown as an error beside its field and
left out of the search, while the valid filters still apply. A ward of another province than the
one chosen (picked before the province was changed) is dropped, the page saying so beside the list
as no error. Labels, hints and
messages are lazy translations: the pages speak the visitor's language.
"""

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MedicalFacility, Province, Ward


class LookupForm(forms.Form):
    q = forms.CharField(label=_("Từ khóa"), required=False, max_length=100)
    province = forms.ModelChoiceField(
        label=_("Tỉnh/thành phố"), required=False, queryset=Province.objects.all(),
        empty_label=_("Tất cả tỉnh/thành phố"), to_field_name="code",
        error_messages={"invalid_choice": _("Chọn tỉnh/thành phố trong danh sách.")},
    )

    def __init__(self, data=None, *, query_label: str = "", query_hint: str = "", **kwargs):
        super().__init__(data, **kwargs)
        if query_label:
            self.fields["q"].label = query_label
        if query_hint:
            self.fields["q"].help_text = query_hint
        self.fields["q"].widget.input_type = "search"

    def _valid(self, name: str, empty):
        """A filter's cleaned value, or `empty` when it is missing or not valid."""
        if self.is_bound:
            self.is_valid()
        value = getattr(self, "cleaned_data", {}).get(name)
        return empty if value in (None, "") else value

    def filters(self) -> dict:
        return {"query": self._valid("q", ""), "province": self._valid("province", None)}


class FacilityLookupForm(LookupForm):
    level = forms.ChoiceField(label=_("Tuyến"), required=False,
                              choices=[("", _("Tất cả các tuyến")), *MedicalFacility.Level.choices],
                              error_messages={"invalid_choice": _("Chọn tuyến trong danh sách.")})

    def filters(self) -> dict:
        return {**super().filters(), "level": self._valid("level", "")}


PROVINCE_CODE = re.compile(r"[0-9]{2}")
WARD_CODE = re.compile(r"[0-9]{5}")


class CollectionPointLookupForm(LookupForm):
    ward = forms.ModelChoiceField(label=_("Phường/xã"), required=False, queryset=Ward.objects.none(),
                                  empty_label=_("Tất cả phường/xã"), to_field_name="code",
                                  help_text=_("Danh sách theo tỉnh/thành phố đã chọn; đổi tỉnh thì bấm “Cập nhật danh "
                                              "sách phường/xã”."),
                                  error_messages={"invalid_choice": _("Chọn phường/xã trong danh sách.")})

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        code = (data or {}).get("province") or ""
        code = code if PROVINCE_CODE.fullmatch(code) else ""  # only a well-formed code reaches a query
        if code:
            self.fields["ward"].queryset = Ward.objects.filter(province__code=code)
        ward = self.data.get("ward") or ""
        self.dropped_ward = None
        if WARD_CODE.fullmatch(ward):
            self.dropped_ward = Ward.objects.filter(code=ward).exclude(province__code=code).first()
        if self.dropped_ward is not None:
            # The ward chosen before the province was changed: nothing the citizen did wrong. It is
            # dropped, the list shows the new province's wards and the search covers the province; the
            # page says so beside the list (`dropped_ward`), as no error.
            self.data = self.data.copy()
            self.data["ward"] = ""

    def filters(self) -> dict:
        return {**super().filters(), "ward": self._valid("ward", None)}
