"""The portal's form renderer: every `{{ form }}` gets labels above fields, hints and errors
linked by `aria-describedby` (GOV.UK pattern)."""

from django.forms.renderers import TemplatesSetting


class PortalFormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"
