from django.core.management.base import BaseCommand

from lookup.services import reference_data_load


class Command(BaseCommand):
    help = "Nạp dữ liệu tham chiếu (đơn vị hành chính, cơ quan BHXH, cơ sở KCB, đơn vị, điểm thu); chạy lại không thay đổi gì."

    def handle(self, *args, **options):
        for name, result in reference_data_load().items():
            self.stdout.write(f"{name}: {result}")
