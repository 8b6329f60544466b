from django.apps import AppConfig


class PublicServicesConfig(AppConfig):
    name = "public_services"
    verbose_name = "Dịch vụ công"
