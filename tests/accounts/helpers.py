"""Builders shared by the accounts tests: a registry person, valid photos, a submitted registration."""

import datetime
import hashlib
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from accounts.models import Person
from accounts.services.challenge import ChallengePurpose, challenge_issue, leading_zero_bits
from accounts.validators import IdType
from lookup.models import Agency, Province, Ward


def logged(user) -> Client:
    """A test client logged in as `user`."""
    client = Client()
    client.force_login(user)
    return client


def born_years_ago(years: int) -> datetime.date:
    """A birth date on 01/06 of the year `years` before this one, a day every year has: a child born on
    it is as old whenever the tests run, so no test relying on a minor fails on the child's 18th birthday."""
    return datetime.date(timezone.localdate().year - years, 6, 1)


def cccd_for(birth: datetime.date, sex: int = 1, serial: str = "012345") -> str:
    """A CCCD number registered in TP. Hồ Chí Minh whose century/sex and year digits match `birth` and
    `sex`, as accounts.validators checks them."""
    return f"079{(birth.year // 100 - 19) * 2 + (sex - 1)}{birth.year % 100:02d}{serial}"


def make_person(code="7901234567", name="Nguyễn Văn Đức", birth=datetime.date(1988, 3, 15), sex=1,
                id_number="079088012345", year_only=False):
    province = Province.objects.get(code="79")
    return Person.objects.create(
        bhxh_code=code, full_name=name, birth_date=birth, sex=sex, id_type=IdType.CCCD, id_number=id_number,
        phone="+84912345678", province=province, ward=Ward.objects.filter(province=province).first(),
        birth_year_only=year_only,
    )


def managed_person(code, name, agency_code, id_number, **person):
    """A person managed by the agency `agency_code` (whose officers see their records)."""
    from lookup.models import Agency

    person = make_person(code, name, id_number=id_number, **person)
    person.agency = Agency.objects.get(code=agency_code)
    person.save(update_fields=["agency"])
    return person


def seconds_left(rate: str, value: str) -> int:
    """The seconds left of the django-ratelimit window of `rate` that counts `value` (a client address,
    a BHXH code, a phone) now: what the 429 of a limit keyed by it says in Retry-After. Counts nothing."""
    from django.test import RequestFactory
    from django_ratelimit.core import get_usage

    usage = get_usage(RequestFactory().get("/"), group="tests.window", key=lambda group, request: value, rate=rate)
    return max(usage["time_left"], 1)


def jpeg(name="anh.jpg", color=(20, 120, 200), size=(120, 90)):
    out = io.BytesIO()
    Image.new("RGB", size, color).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def declaration_data(**overrides):
    province = Province.objects.get(code="79")
    ward = Ward.objects.get(name="Phường Sài Gòn")
    data = {
        "bhxh_code": "7901234567", "full_name": "nguyen van duc", "id_type": IdType.CCCD, "id_number": "079088012345",
        "birth_date": "15/03/1988", "province": str(province.pk), "ward": str(ward.pk), "street": "12 Lê Lợi",
        "phone": "0987654321", "email": "duc@example.vn",
    }
    return {**data, **overrides}


def register(client, agency_code="07901", **overrides):
    """Walk the three steps with the test client; returns the final response."""
    response = client.post("/dang-ky/", declaration_data(**overrides))
    assert response.status_code == 302, response.content.decode()[:3000]
    response = client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()})
    assert response.status_code == 302, response.content.decode()[:3000]
    return client.post("/dang-ky/co-quan/", {"agency": Agency.objects.get(code=agency_code).pk})


def submit(person, agency_code="07901", **declared):
    """A registration submitted through the service, with three real photos."""
    from django.core.files.storage import default_storage

    from accounts.services.registration import registration_submit

    photos = {field: default_storage.save(f"registrations/tmp/t/{field}.jpg", jpeg()) for field in ("portrait", "id_front", "id_back")}
    declaration = {
        "bhxh_code": person.bhxh_code, "full_name": person.full_name, "id_type": person.id_type,
        "id_number": person.id_number, "birth_date": person.birth_date, "province": person.province,
        "ward": person.ward, "street": "12 Lê Lợi", "phone": "+84987654321", "email": "", **declared,
    }
    return registration_submit(declaration=declaration, photos=photos, agency=Agency.objects.get(code=agency_code))


def officer_record(username: str) -> Person:
    """The officer's own record in the registry, as their account names it (User.officer_person): a code
    of its own made from the username (starting 98, no test's person's), managed by no agency, no phone."""
    digits = int(hashlib.sha256(username.encode()).hexdigest(), 16)
    birth = datetime.date(1985, 5, 20)
    record, _ = Person.objects.get_or_create(bhxh_code=f"98{digits % 10**8:08d}", defaults={
        "full_name": "Trần Thị Lan", "birth_date": birth, "sex": 2, "id_type": IdType.CCCD,
        "id_number": cccd_for(birth, sex=2, serial=f"{digits // 10**8 % 10**6:06d}")})
    return record


def officer(username, agency_code, group, *, own_record=True):
    """A staff account in an officer role; `agency_code=None` makes one not yet attached to an agency.
    An officer of an agency names their own record (officer_record), without which they decide no
    filing nor registration; `own_record=False` makes one whose record is not known."""
    from django.contrib.auth.models import Group, Permission

    from accounts.models import User
    from accounts.roles import sync_groups

    user = User.objects.create_user(username, password="x-Pass-2026!", is_staff=True, email=f"{username}@vssid.local",
                                    agency=Agency.objects.get(code=agency_code) if agency_code else None,
                                    officer_person=officer_record(username) if agency_code and own_record else None)
    user.groups.add(sync_groups(Group, Permission)[group])  # groups may be gone after a flush
    return user


def solve(token: str, bits: int) -> str:
    """The work a browser's code-lookup-pow.js finds for the challenge `token` asking `bits` zero bits."""
    counter = 0
    while leading_zero_bits(hashlib.sha256(f"{token}:{counter}".encode()).digest()) < bits:
        counter += 1
    return str(counter)


def solved_challenge(purpose: ChallengePurpose = ChallengePurpose.PASSWORD_RESET) -> dict:
    """A challenge made for `purpose` and solved as the page's script solves it: the fields to post."""
    challenge = challenge_issue(purpose=purpose)
    return {"challenge": challenge.token, "work": solve(challenge.token, challenge.bits)}


def reset_request(bhxh_code: str) -> dict:
    """The password reset request for `bhxh_code`, its challenge solved."""
    return {"bhxh_code": bhxh_code, **solved_challenge()}


def officer_with_family(username, agency_code, group):
    """An officer of `agency_code` whose staff login names their own record (managed by that agency), which a
    citizen login of theirs logs in as, that citizen login the guardian of a child of 10 the agency manages
    too: (staff login, own record, child)."""
    from accounts.models import Guardianship, User

    agency = Agency.objects.get(code=agency_code)
    own = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    born = born_years_ago(10)
    child = make_person("7906666667", "Lê Minh Khang", birth=born, id_number=cccd_for(born))
    Person.objects.filter(pk__in=[own.pk, child.pk]).update(agency=agency)
    staff = officer(username, agency_code, group)
    staff.officer_person = own
    staff.save(update_fields=["officer_person"])
    login = User.objects.create_user(own.bhxh_code, password="x-Pass-2026!", person=own)
    Guardianship.objects.create(parent=login, child=child, relationship="me")
    own.refresh_from_db()
    child.refresh_from_db()
    return staff, own, child


# What the participation, benefits and health card admins say to an officer of a row of their own, and
# to one whose own record is not known.
OWN_RECORD_SAID = "cán bộ chỉ được xem, không được thêm, sửa hay xóa dữ liệu của chính mình"
RECORD_UNKNOWN_SAID = "chưa có mã số BHXH của chính cán bộ"


def officer_family_and_stranger(agency_code, group):
    """officer_with_family's staff login, and by whose: its own record, its child and a stranger the
    agency manages too."""
    staff, own, child = officer_with_family("canbo07901", agency_code, group)
    stranger = make_person("7901777777", "Phan Văn Tài", id_number="079087077777")
    Person.objects.filter(pk=stranger.pk).update(agency=Agency.objects.get(code=agency_code))
    return staff, {"own": own, "child": child, "stranger": Person.objects.get(pk=stranger.pk)}


def clear_of_window_ends(clock, addresses: tuple[str, ...], seconds: int) -> None:
    """Move the clock on until no hourly window of the limits counted per client address (django-ratelimit's,
    each ending at a second of the hour of its own) of `addresses` ends within `seconds`: a count starting
    again midway would make what a test counts depend on the minute of the hour it runs."""
    from django_ratelimit.core import _get_window

    while any(_get_window(address, 3600) - clock.now < seconds for address in addresses):
        clock.advance(10)
