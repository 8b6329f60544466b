"""Demo medical visits (called by demo.py for `manage.py seed_demo`).

The demo citizen 7901234567 always gets six visits over about four years — outpatient visits for a
cold, gastritis, back pain and a sore throat, inpatient stays for appendicitis and dengue — and a
share of the other adults get one to three visits from the same catalogue (an adult's), at
facilities of their province. Every visit has its cost lines at prices close to the Ministry of
Health's BHYT price lists, and the BHYT share follows the Law on Health Insurance: the benefit level
of the person's card (95 % on a pensioner's HT card, 80 % on most, and 80 % for a person without a
card), 100 % for a child under six and for a visit costing less than 15 % of the base salary, nothing
for items outside the BHYT list.

The same persons and seed give the same visits (dates are counted back from the day the demo is
seeded); a visit is known by its reference, so a second run creates nothing. Seeding tells
nobody: it is not a change of anybody's record.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.selectors import adult_born_by
from lookup.models import MedicalFacility
from vssid_portal.dates import age_on
from vssid_portal.money import base_salary_on, round_vnd

from .models import CostCategory, Visit, VisitKind, VisitLine
from .selectors import benefit_percents
from .services import check_totals

DEMO_CITIZEN_CODE = "7901234567"
SHARE = 0.3  # of the other persons, who get visits
WITHOUT_CARD_PERCENT = 80  # the share of most cards (level 4), for a person the demo gave none
C = CostCategory

# A line: (category, description, unit, quantity or "days", unit price, inside the BHYT list).
EXAM = (C.EXAMINATION, "Khám bệnh", "lần", 1, 42_100, True)
BLOOD_COUNT = (C.TEST, "Tổng phân tích tế bào máu ngoại vi (bằng máy đếm laser)", "lần", 1, 46_200, True)
CRP = (C.TEST, "Định lượng CRP", "lần", 1, 53_600, True)
# Catalogue: key → (kind, ICD-10 code, name, days in hospital (inpatient), lines).
CATALOGUE = {
    "cold": (VisitKind.OUTPATIENT, "J06.9", "Nhiễm trùng đường hô hấp trên cấp, không đặc hiệu", 0, [
        EXAM, BLOOD_COUNT,
        (C.MEDICINE, "Paracetamol 500 mg", "viên", 10, 500, True),
        (C.MEDICINE, "Amoxicilin 500 mg", "viên", 21, 1_260, True),
        (C.MEDICINE, "Vitamin C 500 mg", "viên", 10, 1_000, False),
    ]),
    "gastritis": (VisitKind.OUTPATIENT, "K29.7", "Viêm dạ dày, không đặc hiệu", 0, [
        EXAM,
        (C.IMAGING, "Siêu âm ổ bụng (gan mật, tụy, lách, thận, bàng quang)", "lần", 1, 43_900, True),
        (C.FUNCTION_TEST, "Nội soi thực quản – dạ dày – tá tràng", "lần", 1, 244_000, True),
        (C.MEDICINE, "Omeprazol 20 mg", "viên", 28, 1_150, True),
        (C.MEDICINE, "Sucralfat 1 g (gói)", "gói", 28, 2_980, True),
    ]),
    "back": (VisitKind.OUTPATIENT, "M54.5", "Đau vùng thắt lưng", 0, [
        EXAM,
        (C.IMAGING, "Chụp X-quang cột sống thắt lưng thẳng nghiêng (số hóa)", "lần", 1, 97_200, True),
        (C.MEDICINE, "Meloxicam 7,5 mg", "viên", 14, 690, True),
        (C.MEDICINE, "Eperison 50 mg", "viên", 21, 1_890, True),
    ]),
    "throat": (VisitKind.OUTPATIENT, "J02.9", "Viêm họng cấp, không đặc hiệu", 0, [
        EXAM,
        (C.MEDICINE, "Cefuroxim 500 mg", "viên", 10, 4_620, True),
        (C.MEDICINE, "Alpha chymotrypsin 4200 IU", "viên", 15, 520, True),
    ]),
    "hypertension": (VisitKind.OUTPATIENT, "I10", "Bệnh lý tăng huyết áp nguyên phát", 0, [
        EXAM,
        (C.FUNCTION_TEST, "Điện tim thường", "lần", 1, 32_800, True),
        (C.TEST, "Định lượng Creatinin (máu)", "lần", 1, 21_500, True),
        (C.MEDICINE, "Amlodipin 5 mg", "viên", 30, 320, True),
        (C.MEDICINE, "Losartan 50 mg", "viên", 30, 1_150, True),
    ]),
    "diabetes": (VisitKind.OUTPATIENT, "E11.9", "Bệnh đái tháo đường type 2 không có biến chứng", 0, [
        EXAM,
        (C.TEST, "Định lượng Glucose (máu)", "lần", 1, 21_500, True),
        (C.TEST, "Định lượng HbA1c", "lần", 1, 101_000, True),
        (C.MEDICINE, "Metformin 850 mg", "viên", 60, 640, True),
        (C.MEDICINE, "Gliclazid 30 mg", "viên", 30, 1_470, True),
    ]),
    "diarrhoea": (VisitKind.OUTPATIENT, "A09", "Tiêu chảy và viêm dạ dày ruột do nhiễm trùng", 0, [
        EXAM, BLOOD_COUNT,
        (C.MEDICINE, "Oresol 245 (gói 4,22 g)", "gói", 6, 1_680, True),
        (C.MEDICINE, "Diosmectit 3 g", "gói", 9, 2_350, True),
    ]),
    "appendicitis": (VisitKind.INPATIENT, "K35.8", "Viêm ruột thừa cấp, khác và không đặc hiệu", 4, [
        EXAM, BLOOD_COUNT, CRP,
        (C.IMAGING, "Siêu âm ổ bụng (gan mật, tụy, lách, thận, bàng quang)", "lần", 1, 43_900, True),
        (C.PROCEDURE, "Phẫu thuật nội soi cắt ruột thừa", "lần", 1, 2_764_000, True),
        (C.BED_DAYS, "Ngày giường bệnh ngoại khoa, loại 3 (sau phẫu thuật)", "ngày", "days", 247_300, True),
        (C.MEDICINE, "Ceftriaxon 1 g (lọ)", "lọ", 8, 12_600, True),
        (C.MEDICINE, "Natri clorid 0,9 % 500 ml", "chai", 6, 9_450, True),
        (C.SUPPLIES, "Bộ dây truyền dịch", "bộ", 3, 6_300, True),
        (C.SUPPLIES, "Kim luồn tĩnh mạch", "cái", 2, 14_500, True),
    ]),
    "dengue": (VisitKind.INPATIENT, "A91", "Sốt xuất huyết Dengue", 5, [
        EXAM, BLOOD_COUNT,
        (C.TEST, "Dengue virus NS1Ag test nhanh", "lần", 1, 129_000, True),
        (C.TEST, "Tổng phân tích tế bào máu ngoại vi (theo dõi tiểu cầu)", "lần", 4, 46_200, True),
        (C.BED_DAYS, "Ngày giường bệnh nội khoa, loại 2 (truyền nhiễm)", "ngày", "days", 216_800, True),
        (C.MEDICINE, "Ringer lactat 500 ml", "chai", 8, 11_970, True),
        (C.MEDICINE, "Paracetamol 500 mg", "viên", 15, 500, True),
        (C.SUPPLIES, "Bộ dây truyền dịch", "bộ", 4, 6_300, True),
    ]),
    "pneumonia": (VisitKind.INPATIENT, "J18.9", "Viêm phổi, tác nhân không xác định", 6, [
        EXAM, BLOOD_COUNT, CRP,
        (C.IMAGING, "Chụp X-quang ngực thẳng (số hóa)", "lần", 1, 65_400, True),
        (C.BED_DAYS, "Ngày giường bệnh nội khoa, loại 1 (hô hấp)", "ngày", "days", 247_300, True),
        (C.MEDICINE, "Ceftriaxon 1 g (lọ)", "lọ", 12, 12_600, True),
        (C.MEDICINE, "Acetylcystein 200 mg", "gói", 18, 1_050, True),
        (C.TRANSPORT, "Vận chuyển người bệnh bằng xe cứu thương", "lượt", 1, 350_000, False),
    ]),
}
OUTPATIENT_KEYS = [key for key, item in CATALOGUE.items() if item[0] == VisitKind.OUTPATIENT]
INPATIENT_KEYS = [key for key, item in CATALOGUE.items() if item[0] == VisitKind.INPATIENT]
# The demo citizen's visits: (catalogue key, days before today the visit began).
CITIZEN_PLAN = [("cold", 20), ("gastritis", 150), ("appendicitis", 400), ("back", 700), ("dengue", 1000),
                ("throat", 1300)]


def _visit(rng, person, facility, key: str, index: int, admitted: datetime.date, *,
           percent: int) -> tuple[Visit, list[VisitLine]]:
    kind, code, name, days, items = CATALOGUE[key]
    if kind == VisitKind.INPATIENT:
        days += rng.randrange(0, 3)
    discharged = admitted + datetime.timedelta(days=days)
    lines = []
    for category, description, unit, quantity, price, covered in items:
        quantity = Decimal(days if quantity == "days" else quantity)
        lines.append(VisitLine(category=category, description=description, unit=unit, quantity=quantity,
                               unit_price=price, amount=round_vnd(quantity * price),
                               bhyt_amount=None if covered else 0))
    covered_total = sum(line.amount for line in lines if line.bhyt_amount is None)
    if covered_total < base_salary_on(admitted) * 15 // 100 or age_on(person.birth_date, admitted) < 6:
        rate = Decimal(1)  # Law on Health Insurance art. 22: low-cost visit, or a child under six
    else:
        rate = Decimal(percent) / 100  # the benefit level of the person's card
    for line in lines:
        if line.bhyt_amount is None:
            line.bhyt_amount = round_vnd(line.amount * rate)
    total = sum(line.amount for line in lines)
    bhyt = sum(line.bhyt_amount for line in lines)
    visit = Visit(person=person, facility=facility, reference=f"{person.bhxh_code}.{index:02d}", kind=kind,
                  admitted_on=admitted, discharged_on=discharged, diagnosis_code=code, diagnosis_name=name,
                  total_cost=total, bhyt_paid=bhyt, patient_paid=total - bhyt, revision=1)
    return visit, lines


def _facility_picker(rng):
    by_province: dict[int, list[MedicalFacility]] = {}
    for facility in MedicalFacility.objects.filter(bhyt_contract=True).order_by("code"):
        by_province.setdefault(facility.province_id, []).append(facility)

    def pick(person, kind) -> MedicalFacility | None:
        choices = by_province.get(person.province_id) or next(
            (facilities for facilities in by_province.values() if facilities[0].code.startswith("79")), None)
        if not choices:
            choices = next(iter(by_province.values()), None)
        if not choices:
            return None
        hospitals = [f for f in choices if f.level != MedicalFacility.Level.GRASSROOTS]
        if kind == VisitKind.INPATIENT and hospitals:
            return rng.choice(hospitals)
        return rng.choice(choices)

    return pick


def _plans(rng, person, citizen: bool) -> list[tuple[str, int]]:
    if citizen:
        return CITIZEN_PLAN
    plans = []
    for _ in range(rng.randrange(1, 4)):
        keys = INPATIENT_KEYS if rng.random() < 0.2 else OUTPATIENT_KEYS
        plans.append((rng.choice(keys), rng.randrange(5, 1500)))
    return plans


def seed(*, persons, seed) -> str:
    if not persons:
        return ""
    today = timezone.localdate()
    rng = random.Random(f"visits-{seed}")
    pick_facility = _facility_picker(rng)
    planned: list[tuple[Visit, list[VisitLine]]] = []
    adults_from = adult_born_by()
    percents = benefit_percents(persons=persons)  # the cards demo.py seeded before the visits
    for person in sorted(persons, key=lambda p: p.bhxh_code):
        if person.birth_date > adults_from:  # skipped before drawing: the others keep their numbers
            continue
        citizen = person.bhxh_code == DEMO_CITIZEN_CODE
        chosen = rng.random() < SHARE
        if not (citizen or chosen):
            continue
        for index, (key, days_ago) in enumerate(_plans(rng, person, citizen), start=1):
            admitted = today - datetime.timedelta(days=days_ago)
            if admitted < person.birth_date:
                continue
            facility = pick_facility(person, CATALOGUE[key][0])
            if facility is None:
                return "chưa có cơ sở KCB: bỏ qua lượt khám mẫu"
            planned.append(_visit(rng, person, facility, key, index, admitted,
                                  percent=percents.get(person.pk, WITHOUT_CARD_PERCENT)))
    existing = set(Visit.objects.filter(reference__in=[visit.reference for visit, _ in planned])
                   .values_list("facility_id", "reference"))
    new = [(visit, lines) for visit, lines in planned if (visit.facility_id, visit.reference) not in existing
           and visit.reference not in {reference for _facility, reference in existing}]
    for visit, lines in new:
        visit.full_clean(exclude=["person", "facility"], validate_unique=False)
        for line in lines:
            line.full_clean(exclude=["visit"])
        check_totals(visit, lines)
    with transaction.atomic():
        created = Visit.objects.bulk_create([visit for visit, _ in new], batch_size=500)
        all_lines = []
        for visit, (_, lines) in zip(created, new):
            for line in lines:
                line.visit = visit
                all_lines.append(line)
        VisitLine.objects.bulk_create(all_lines, batch_size=1000)
    return f"{len(new)} lượt khám chữa bệnh mới, {len(planned) - len(new)} đã có."
