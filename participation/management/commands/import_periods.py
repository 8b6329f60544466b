from django.core.management.base import BaseCommand, CommandError

from lookup.models import Agency
from lookup.selectors import agency_subtree_ids
from participation.services.imports import periods_import


class Command(BaseCommand):
    help = "Nhập quá trình tham gia từ tệp CSV (xem participation/services/imports.py cho các cột)."

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dry-run", action="store_true", help="chỉ kiểm tra, không ghi")
        parser.add_argument("--agency", help="chỉ nhận các dòng thuộc cơ quan này và cấp dưới")

    def handle(self, *args, path, dry_run, agency, **options):
        scope = None
        if agency:
            try:
                scope = agency_subtree_ids(Agency.objects.get(code=agency))
            except Agency.DoesNotExist as exc:
                raise CommandError(f"Không có cơ quan BHXH mã {agency}.") from exc
        with open(path, encoding="utf-8-sig", newline="") as lines:
            report = periods_import(lines=lines, dry_run=dry_run, agency_scope=scope)
        for line, message in report.errors[:50]:
            self.stderr.write(f"Dòng {line}: {message}")
        self.stdout.write(
            f"{'Chạy thử: ' if dry_run else ''}{report.rows} dòng, {report.created} mới, {report.updated} cập nhật, "
            f"{report.unchanged} không đổi, {report.error_count} lỗi."
        )
