import csv

from django.core.management.base import BaseCommand, CommandError

from lookup.models import Agency
from lookup.selectors import agency_subtree_ids
from participation.services.imports import COLUMNS, REQUIRED, periods_import


def _check_utf8(path: str) -> None:
    """Refuse, before anything is imported, a file with a line that is not UTF-8, naming the line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raise CommandError(f"Dòng {number}: tệp không phải văn bản UTF-8. Hãy lưu lại tệp dạng CSV UTF-8; "
                                   "chưa nhập dòng nào.") from None

LISTED = 50  # errors written out; the rest are counted
OPTIONAL = {"ma_don_vi": "bắt buộc khi nguoi_dong là employer", "ma_kcb": "chỉ dòng bhyt, không bắt buộc"}


class Command(BaseCommand):
    help = ("Nhập quá trình tham gia từ tệp CSV (UTF-8, dòng đầu là tên cột): "
            + ", ".join(column if column in REQUIRED else f"{column} ({OPTIONAL.get(column, 'không bắt buộc')})"
                        for column in COLUMNS)
            + ". Tháng dạng mm/yyyy, số tiền bằng đồng. Dòng trùng một giai đoạn đã có được cập nhật; dòng lỗi "
              "được báo theo số dòng và bỏ qua, khi đó lệnh kết thúc với mã lỗi.")

    def add_arguments(self, parser):
        parser.add_argument("path", help="đường dẫn tệp CSV")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--agency", help="chỉ nhận các dòng thuộc cơ quan này và cấp dưới")

    def handle(self, *args, path, dry_run, agency, **options):
        scope = None
        if agency:
            try:
                scope = agency_subtree_ids(Agency.objects.get(code=agency))
            except Agency.DoesNotExist as exc:
                raise CommandError(f"Không có cơ quan BHXH mã {agency}.") from exc
        try:
            _check_utf8(path)
            lines = open(path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise CommandError(f"Không mở được tệp {path}: {exc.strerror}.") from None
        with lines:
            try:
                report = periods_import(lines=lines, dry_run=dry_run, agency_scope=scope)
            except csv.Error as exc:  # e.g. a field longer than the csv module's limit
                raise CommandError(f"Tệp không đọc được dạng CSV ({exc}); chưa nhập dòng nào.") from None
        for line, message in report.errors[:LISTED]:
            self.stderr.write(f"Dòng {line}: {message}")
        if report.error_count > LISTED:
            self.stderr.write(f"… và {report.error_count - LISTED} lỗi khác không liệt kê ở đây.")
        self.stdout.write(
            f"{'Chạy thử: ' if dry_run else ''}{report.rows} dòng, {report.created} mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi, {report.error_count} lỗi."
        )
        if report.error_count:
            # A script running the import learns from the exit status that rows were left out.
            kept = "không ghi gì" if dry_run or not report.rows else "các dòng khác đã được nhập"
            raise CommandError(f"{report.error_count} dòng lỗi, chưa được nhập ({kept}); sửa các dòng đó rồi nhập lại tệp.")
