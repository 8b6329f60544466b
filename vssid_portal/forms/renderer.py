"""The portal's form renderer (settings.FORM_RENDERER): every field gets its label above it, its
hint and its errors linked by `aria-describedby` (GOV.UK pattern; jinja2/forms/field.html), and puts
back what was typed as `echoed` (EchoedBoundField).

Fields and widgets are rendered by Django's Jinja2 form renderer, with the widget templates
Django ships for it: a select of 34 provinces costs a third of what the template language
takes. The admin's own widgets (related-object wrappers, file inputs...) exist only as Django
templates and are rendered by them.
"""

from django.forms.renderers import Jinja2, TemplatesSetting
from django.template import TemplateDoesNotExist
from django.utils.functional import cached_property
from django.utils.translation import gettext, ngettext

from .echo import EchoedBoundField


class PortalFormRenderer(Jinja2):
    field_template_name = "forms/field.html"
    fallback = TemplatesSetting()
    bound_field_class = EchoedBoundField  # every form the portal renders (its own, allauth's, the admin's)

    @cached_property
    def engine(self):
        engine = super().engine
        # `{{ _("…") }}` in the field template, in the language of the request (Django's catalogues).
        engine.env.add_extension("jinja2.ext.i18n")
        engine.env.install_gettext_callables(gettext, ngettext, newstyle=True)
        return engine

    def get_template(self, template_name):
        try:
            return super().get_template(template_name)
        except TemplateDoesNotExist:
            return self.fallback.get_template(template_name)
