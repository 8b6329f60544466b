"""Deterministic demo registry and demo logins for `manage.py seed_demo`.

The same `--persons N --seed S` always yields the same people, and the demo citizen's two children
besides; rows already present are kept as they are, so a second run changes nothing.
"""

import datetime
import random

import phonenumbers
from django.contrib.auth.models import Group, Permission
from django.db import transaction

from lookup.models import Agency, MedicalFacility, Province, Ward

from . import roles
from .models import Guardianship, Person, Registration, User
from .roles import sync_groups
from .selectors import staff_login_of_record
from .validators import CCCD_PROVINCE_CODES, MOBILE_PREFIXES, IdType, cccd_birth_digits

DEMO_PASSWORD = "BhxhDemo@2026"
PREFIXES = sorted(MOBILE_PREFIXES)
BIRTH_PROVINCES = sorted(CCCD_PROVINCE_CODES)

SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
            "Hồ", "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lâm", "Mai"]
MIDDLE = {1: ["Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Gia", "Xuân", "Công", "Trọng"],
          2: ["Thị", "Ngọc", "Thu", "Thanh", "Kim", "Hoài", "Bảo", "Mỹ", "Phương", "Diệu"]}
GIVEN = {1: ["An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Khang", "Long", "Nam", "Phúc", "Quân",
             "Sơn", "Tâm", "Thắng", "Toàn", "Trí", "Tuấn", "Việt", "Vinh"],
         2: ["Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hương", "Lan", "Linh", "Loan", "Mai", "Ngân",
             "Nhung", "Oanh", "Phượng", "Thảo", "Trang", "Tuyết", "Vân", "Yến"]}
STREETS = ["Lê Lợi", "Nguyễn Huệ", "Hai Bà Trưng", "Trần Hưng Đạo", "Lý Thường Kiệt", "Cách Mạng Tháng Tám",
           "Nguyễn Trãi", "Điện Biên Phủ", "Võ Văn Tần", "Pasteur", "Nguyễn Đình Chiểu", "Phan Xích Long"]

# The first demo person is the demo citizen; fixed so the README can name the login.
DEMO_CITIZEN = {
    "bhxh_code": "7901234567", "full_name": "Nguyễn Văn Đức", "birth_date": datetime.date(1988, 3, 15),
    "sex": Person.Sex.MALE, "id_type": IdType.CCCD, "id_number": "079088012345", "phone": "+84912345678",
    "street": "12 Lê Lợi",
}


# His children, fixed too: the son is already linked to him (the "view a child" switch, a BHYT card
# of a child under six); the daughter is not, so that the registration of a child can be tried.
DEMO_CHILDREN = [
    {"bhxh_code": "7901234581", "full_name": "Nguyễn Minh Khang", "birth_date": datetime.date(2023, 4, 12),
     "sex": Person.Sex.MALE, "id_type": IdType.CCCD, "id_number": "079223004512"},
    {"bhxh_code": "7901234582", "full_name": "Nguyễn Ngọc Hân", "birth_date": datetime.date(2016, 9, 20),
     "sex": Person.Sex.FEMALE, "id_type": IdType.CCCD, "id_number": "079316007823"},
]
LINKED_CHILD = DEMO_CHILDREN[0]["bhxh_code"]

# The demo officers' and the superuser's own records (User.officer_person), fixed too: without one an
# account decides no filing nor registration, since its own cases could not be told.
DEMO_OFFICERS = {
    "canbo07901": {"bhxh_code": "7901234590", "full_name": "Trần Thị Lan", "birth_date": datetime.date(1985, 5, 20),
                   "sex": Person.Sex.FEMALE, "id_type": IdType.CCCD, "id_number": "079185004590"},
    "canbo079": {"bhxh_code": "7901234591", "full_name": "Lê Quốc Minh", "birth_date": datetime.date(1979, 11, 2),
                 "sex": Person.Sex.MALE, "id_type": IdType.CCCD, "id_number": "079079004591"},
    "quantri": {"bhxh_code": "7901234592", "full_name": "Đỗ Văn Hùng", "birth_date": datetime.date(1982, 7, 15),
                "sex": Person.Sex.MALE, "id_type": IdType.CCCD, "id_number": "079082004592"},
}


def _mobile(rng: random.Random) -> str:
    """A mobile number on an assigned prefix that the phonenumbers metadata also accepts."""
    while True:
        number = f"+84{rng.choice(PREFIXES)[1:]}{rng.randrange(10**7):07d}"
        if phonenumbers.is_valid_number(phonenumbers.parse(number)):
            return number


def _person(rng: random.Random, codes: set[str], provinces: list[Province], wards_by_province: dict) -> Person:
    province = rng.choice(provinces) if rng.random() < 0.4 else next(p for p in provinces if p.code == "79")
    while True:
        code = f"{province.code}{rng.randrange(10**8):08d}"
        if code not in codes:
            codes.add(code)
            break
    sex = rng.choice([1, 2])
    birth = datetime.date(1960, 1, 1) + datetime.timedelta(days=rng.randrange(365 * 45))
    year_only = rng.random() < 0.05
    if year_only:
        birth = birth.replace(month=1, day=1)
    birth_place = f"0{province.code}" if rng.random() < 0.7 else rng.choice(BIRTH_PROVINCES)
    ward = rng.choice(wards_by_province[province.pk])
    return Person(
        bhxh_code=code,
        full_name=f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE[sex])} {rng.choice(GIVEN[sex])}",
        birth_date=birth,
        birth_year_only=year_only,
        sex=sex,
        id_type=IdType.CCCD,
        id_number=f"{birth_place}{cccd_birth_digits(birth.year, sex)}{rng.randrange(10**6):06d}",
        phone=_mobile(rng),
        province=province,
        ward=ward,
        street=f"{rng.randrange(1, 400)} {rng.choice(STREETS)}",
    )


def seed_persons(*, count: int, seed: int) -> tuple[list[Person], int]:
    """Create `count` demo persons (the first is the demo citizen). Returns (persons, created)."""
    rng = random.Random(seed)
    provinces = list(Province.objects.order_by("code"))
    if not provinces:
        raise RuntimeError("Chưa có dữ liệu tham chiếu: chạy `manage.py load_reference_data` trước.")
    wards_by_province: dict[int, list[Ward]] = {}
    for ward in Ward.objects.order_by("code"):
        wards_by_province.setdefault(ward.province_id, []).append(ward)
    hcm = next(p for p in provinces if p.code == "79")
    saigon = next(w for w in wards_by_province[hcm.pk] if w.name == "Phường Sài Gòn")
    first = Person(**DEMO_CITIZEN, province=hcm, ward=saigon, agency=Agency.objects.get(code="07901"))
    local_agencies: dict[int, list[Agency]] = {}
    for agency in Agency.objects.filter(parent__isnull=False).order_by("code"):
        local_agencies.setdefault(agency.province_id, []).append(agency)
    drawn = {first.bhxh_code, *(record["bhxh_code"] for record in DEMO_OFFICERS.values())}  # not drawn again
    people = [first] + [_person(rng, drawn, provinces, wards_by_province) for _ in range(max(count - 1, 0))]
    codes = {person.bhxh_code for person in people}
    for person in people[1:]:
        person.agency = rng.choice(local_agencies.get(person.province_id) or [None])
    for person in people:
        person.normalize()
    existing = set(Person.objects.filter(bhxh_code__in=codes).values_list("bhxh_code", flat=True))
    new = [p for p in people if p.bhxh_code not in existing]
    with transaction.atomic():
        Person.objects.bulk_create(new, batch_size=2000)
    return list(Person.objects.filter(bhxh_code__in=codes).order_by("bhxh_code")), len(new)


def seed_children() -> tuple[list[Person], int]:
    """The demo citizen's children (`DEMO_CHILDREN`), living with him. Returns (children, created)."""
    citizen = Person.objects.select_related("province", "ward", "agency").get(bhxh_code=DEMO_CITIZEN["bhxh_code"])
    codes = [child["bhxh_code"] for child in DEMO_CHILDREN]
    existing = set(Person.objects.filter(bhxh_code__in=codes).values_list("bhxh_code", flat=True))
    new = [Person(**child, province=citizen.province, ward=citizen.ward, street=citizen.street, agency=citizen.agency,
                  father_name=citizen.full_name)
           for child in DEMO_CHILDREN if child["bhxh_code"] not in existing]
    for child in new:
        child.normalize()
    Person.objects.bulk_create(new)
    return list(Person.objects.filter(bhxh_code__in=codes).order_by("bhxh_code")), len(new)


def _officer_record(fields: dict, citizen: Person) -> Person:
    """A demo officer's own record, living in the demo citizen's ward."""
    record, _ = Person.objects.get_or_create(bhxh_code=fields["bhxh_code"], defaults={
        **fields, "province": citizen.province, "ward": citizen.ward})
    return record


def seed_accounts() -> list[tuple[str, str]]:
    """Demo logins: citizen (who views his son's records), district officer, province officer, clinic
    staff, superuser."""
    district, province = Agency.objects.get(code="07901"), Agency.objects.get(code="079")
    facility = MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).order_by("code").first()
    citizen = Person.objects.get(bhxh_code=DEMO_CITIZEN["bhxh_code"])
    groups = sync_groups(Group, Permission)
    specs = [
        ("Người tham gia (công dân)", citizen.bhxh_code,
         {"person": citizen, "first_name": "Đức", "last_name": "Nguyễn Văn"}, None),
        ("Cán bộ BHXH Quận 1 [07901]", "canbo07901",
         {"agency": district, "is_staff": True, "first_name": "Lan", "last_name": "Trần Thị",
          "email": "canbo07901@vssid.local"}, roles.DISTRICT_OFFICER),
        ("Cán bộ BHXH TP. Hồ Chí Minh [079]", "canbo079",
         {"agency": province, "is_staff": True, "first_name": "Minh", "last_name": "Lê Quốc",
          "email": "canbo079@vssid.local"}, roles.PROVINCE_OFFICER),
        (f"Nhân viên cơ sở KCB {facility.display_code}", "nhanvienkcb",
         {"facility": facility, "is_staff": True, "first_name": "Hà", "last_name": "Phạm Thu",
          "email": "nhanvienkcb@vssid.local"}, roles.CLINIC_STAFF),
        ("Quản trị hệ thống", "quantri", {"is_staff": True, "is_superuser": True, "first_name": "Quản trị",
                                               "email": "quantri@vssid.local"}, None),
    ]
    logins = []
    for label, username, fields, group in specs:
        user, created = User.objects.get_or_create(username=username, defaults=fields)
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            if group:
                user.groups.add(groups[group])
        if username in DEMO_OFFICERS and user.officer_person_id is None:  # a login of an earlier run too
            record = _officer_record(DEMO_OFFICERS[username], citizen)
            if not staff_login_of_record(record, besides=user):  # not given since to another officer in the admin
                user.officer_person = record
                user.save(update_fields=["officer_person"])
        logins.append((label, username))
    Guardianship.objects.get_or_create(parent=User.objects.get(username=citizen.bhxh_code),
                                       child=Person.objects.get(bhxh_code=LINKED_CHILD),
                                       defaults={"relationship": Registration.Relationship.FATHER})
    return logins
