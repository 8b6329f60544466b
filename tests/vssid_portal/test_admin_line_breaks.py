"""Every long text of every admin form (a rejection reason, a news article, an answer) keeps its
line breaks as the officer typed them: the browser sends each as CRLF but counts it as one
character against the box's maxlength, so a text that fitted its box was refused as too long by as
many characters as it had lines, and stored with "\r"."""

import pytest
from django.contrib import admin
from django.db import models
from django.test import RequestFactory

from accounts.models import User


def _superuser_request():
    request = RequestFactory().get("/quan-tri/")
    request.user = User(username="quantri", is_superuser=True, is_staff=True)
    return request


LONG_TEXTS = sorted(((model, field.name) for model in admin.site._registry for field in model._meta.concrete_fields
                     if isinstance(field, models.TextField) and field.editable),
                    key=lambda pair: (pair[0]._meta.label, pair[1]))


def test_the_walk_finds_the_long_texts():
    assert {(model._meta.label, name) for model, name in LONG_TEXTS} >= {
        ("benefits.BenefitRecord", "reject_reason"), ("public_services.Feedback", "answer")}


@pytest.mark.parametrize(("model", "name"), LONG_TEXTS, ids=[f"{model._meta.label}.{name}" for model, name in LONG_TEXTS])
def test_a_long_text_is_read_with_its_line_breaks_as_typed(db, model, name):
    model_admin = admin.site._registry[model]
    form = model_admin.get_form(_superuser_request())
    if name not in form.base_fields:  # read-only on this admin's form
        return
    widget = form.base_fields[name].widget
    assert widget.value_from_datadict({name: "Dòng một\r\nDòng hai\rDòng ba"}, {}, name) == "Dòng một\nDòng hai\nDòng ba"
