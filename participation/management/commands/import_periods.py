import csv

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext, gettext_lazy, ngettext

from lookup.models import Agency
from lookup.selectors import agency_subtree_ids
from participation.services.imports import COLUMNS, REQUIRED, periods_import

# The command speaks the language its row errors are written in: LANGUAGE_CODE's, as nothing else is active.


def _check_utf8(path: str) -> None:
    """Refuse, before anything is imported, a file with a line that is not UTF-8, naming the line."""
    with open(path, "rb") as handle:
        for number, raw in enumerate(handle, start=1):
            try:
                raw.decode("utf-8")
            except UnicodeDecodeError:
                raise CommandError(gettext("Dòng %(line)s: tệp không phải văn bản UTF-8. Hãy lưu lại tệp dạng CSV "
                                           "UTF-8; chưa nhập dòng nào.") % {"line": number}) from None

LISTED = 50  # errors written out; the rest are counted
OPTIONAL = {"ma_don_vi": gettext_lazy("bắt buộc khi nguoi_dong là employer"),
            "ma_kcb": gettext_lazy("chỉ dòng bhyt, không bắt buộc")}


class Command(BaseCommand):
    @property
    def help(self):
        optional = gettext("không bắt buộc")
        columns = ", ".join(column if column in REQUIRED else f"{column} ({OPTIONAL.get(column, optional)})"
                            for column in COLUMNS)
        return gettext(
            "Nhập quá trình tham gia từ tệp CSV (UTF-8, dòng đầu là tên cột): %(columns)s. Tháng dạng mm/yyyy, số "
            "tiền bằng đồng. Dòng trùng một giai đoạn đã có được cập nhật; dòng lỗi được báo theo số dòng và bỏ qua, "
            "khi đó lệnh kết thúc với mã lỗi.") % {"columns": columns}

    def add_arguments(self, parser):
        parser.add_argument("path", help=gettext("đường dẫn tệp CSV"))
        parser.add_argument("--dry-run", action="store_true", help=gettext("chỉ kiểm tra, không ghi"))
        parser.add_argument("--agency", help=gettext("chỉ nhận các dòng thuộc cơ quan này và cấp dưới"))

    def handle(self, *args, path, dry_run, agency, **options):
        scope = None
        if agency:
            try:
                scope = agency_subtree_ids(Agency.objects.get(code=agency))
            except Agency.DoesNotExist as exc:
                raise CommandError(gettext("Không có cơ quan BHXH mã %(code)s.") % {"code": agency}) from exc
        try:
            _check_utf8(path)
            lines = open(path, encoding="utf-8-sig", newline="")
        except OSError as exc:
            raise CommandError(gettext("Không mở được tệp %(path)s: %(reason)s.")
                               % {"path": path, "reason": exc.strerror}) from None
        with lines:
            try:
                report = periods_import(lines=lines, dry_run=dry_run, agency_scope=scope)
            except csv.Error as exc:  # e.g. a field longer than the csv module's limit
                raise CommandError(gettext("Tệp không đọc được dạng CSV (%(error)s); chưa nhập dòng nào.")
                                   % {"error": exc}) from None
        for line, message in report.errors[:LISTED]:
            self.stderr.write(gettext("Dòng %(line)s: %(message)s") % {"line": line, "message": message})
        if report.error_count > LISTED:
            more = report.error_count - LISTED
            self.stderr.write(ngettext("… và %(count)s lỗi khác không liệt kê ở đây.",
                                       "… và %(count)s lỗi khác không liệt kê ở đây.", more) % {"count": more})
        summary = gettext("%(rows)s dòng, %(created)s mới, %(updated)s cập nhật, %(unchanged)s không đổi, "
                          "%(errors)s lỗi.") % {"rows": report.rows, "created": report.created,
                                                "updated": report.updated, "unchanged": report.unchanged,
                                                "errors": report.error_count}
        self.stdout.write(gettext("Chạy thử: %(summary)s") % {"summary": summary} if dry_run else summary)
        if report.error_count:
            # A script running the import learns from the exit status that rows were left out.
            count = report.error_count
            if dry_run or not report.rows:
                message = ngettext(
                    "%(count)s dòng lỗi, chưa được nhập (không ghi gì); sửa các dòng đó rồi nhập lại tệp.",
                    "%(count)s dòng lỗi, chưa được nhập (không ghi gì); sửa các dòng đó rồi nhập lại tệp.", count)
            else:
                message = ngettext(
                    "%(count)s dòng lỗi, chưa được nhập (các dòng khác đã được nhập); sửa các dòng đó rồi nhập lại "
                    "tệp.",
                    "%(count)s dòng lỗi, chưa được nhập (các dòng khác đã được nhập); sửa các dòng đó rồi nhập lại "
                    "tệp.", count)
            raise CommandError(message % {"count": count})
