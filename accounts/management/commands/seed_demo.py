"""Demo data set: registry persons, the demo citizen's children and demo logins, then each app's own
demo records.

Apps add to it with a `demo.py` module exposing `seed(*, persons, seed)`, called in the order of
INSTALLED_APPS; accounts knows nothing of the apps above it.
"""

import os
from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Max
from django.utils.module_loading import module_has_submodule

from accounts import demo
from accounts.models import Person


class Command(BaseCommand):
    help = "Tạo bộ dữ liệu mẫu xác định (cùng --seed cho cùng dữ liệu) và các tài khoản dùng thử."

    def add_arguments(self, parser):
        parser.add_argument("--persons", type=int, default=200, help="số người tham gia (mặc định 200)")
        parser.add_argument("--seed", type=int, default=2026, help="hạt giống ngẫu nhiên (mặc định 2026)")

    def handle(self, *args, persons, seed, **options):
        if settings.PRODUCTION:
            raise CommandError("seed_demo tạo tài khoản có mật khẩu công khai: không chạy khi DJANGO_ENV=production.")
        if persons < 1:
            raise CommandError("--persons phải lớn hơn 0.")
        _kept_going_if_the_reader_leaves(self.stdout)
        with transaction.atomic():  # a run that fails leaves nobody without the records the apps give
            self._seed(persons, seed)
            logins = demo.seed_accounts()
        self.stdout.write("\nTài khoản dùng thử (mật khẩu chung: %s):" % demo.DEMO_PASSWORD)
        for label, username in logins:
            self.stdout.write(f"  {label:<40} {username}")

    def _seed(self, persons: int, seed: int) -> None:
        # Only the people created by this run get records from the apps: someone already there (from
        # an earlier run with another --persons or --seed) keeps the working life, benefits and card
        # drawn then, instead of being given a second, overlapping one.
        last = Person.objects.aggregate(last=Max("pk"))["last"] or 0
        try:
            people, created = demo.seed_persons(count=persons, seed=seed)
        except RuntimeError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Người tham gia: {created} mới, {len(people) - created} đã có.")
        children, created = demo.seed_children()
        self.stdout.write(f"Con của người tham gia {demo.DEMO_CITIZEN['bhxh_code']}: {created} mới, "
                          f"{len(children) - created} đã có.")
        # The children last: an app draws its random numbers person by person, so the others keep theirs.
        new = [person for person in people + children if person.pk > last]
        if not new:
            self.stdout.write("Không có người tham gia mới: hồ sơ của những người đã có giữ nguyên.")
            return
        for config in apps.get_app_configs():
            if config.name != "accounts" and module_has_submodule(config.module, "demo"):
                report = import_module(f"{config.name}.demo").seed(persons=new, seed=seed)
                if report:
                    self.stdout.write(f"{config.verbose_name}: {report}")


def _kept_going_if_the_reader_leaves(stdout) -> None:
    """`seed_demo | head -1`: once whoever reads the output has gone (a broken pipe), the rest of it
    goes nowhere, instead of the run ending in a traceback with its data rolled back. Each line is
    sent at once, so that the pipe is found closed here, not at the exit's last flush."""
    write = stdout.write

    def written(*args, **kwargs):
        try:
            write(*args, **kwargs)
            stdout.flush()
        except BrokenPipeError:
            nowhere = os.open(os.devnull, os.O_WRONLY)
            os.dup2(nowhere, stdout.fileno())  # what is still buffered, and any later line, go there
            os.close(nowhere)

    stdout.write = written
