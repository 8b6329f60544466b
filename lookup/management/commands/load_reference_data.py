from django.core.management.base import BaseCommand, CommandError

from lookup.services import ReferenceDataError, reference_data_load


class Command(BaseCommand):
    help = ("Nạp dữ liệu tham chiếu (đơn vị hành chính, cơ quan BHXH, cơ sở KCB, đơn vị, điểm thu): thêm dòng mới, "
            "giữ nguyên dòng đã có; chạy lại không thay đổi gì.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--update", action="store_true",
            help="Ghi đè các dòng đã có bằng dữ liệu trong tệp (khi có bản dữ liệu mới); mặc định giữ nguyên "
                 "các chỉnh sửa trong trang quản trị.")

    def handle(self, *args, update=False, **options):
        try:
            results = reference_data_load(update=update)
        except ReferenceDataError as exc:
            raise CommandError(f"{exc} Không nạp dòng nào: cơ sở dữ liệu không thay đổi gì.") from exc
        for name, result in results.items():
            self.stdout.write(f"{name}: {result}")
