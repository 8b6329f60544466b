"""Seed the salary adjustment table with ILLUSTRATIVE coefficients.

These figures are plausible (the shape of the Ministry's yearly circulars: large for the 1990s,
falling to 1.00 for the current year) but are not the official ones. Officers replace them in the
admin ("Mức điều chỉnh tiền lương, thu nhập đã đóng") with the circular in force; each row keeps
its source, so an illustrative row is never mistaken for an official one.
"""

from decimal import Decimal

from django.db import migrations

SOURCE = "Minh họa – chưa phải số liệu chính thức; cập nhật theo thông tư hằng năm của Bộ"

# year → coefficient. The first row (1994) also applies to every earlier year ("trước 1995").
COMPULSORY = {
    1994: "5.63", 1995: "4.78", 1996: "4.51", 1997: "4.37", 1998: "4.06", 1999: "3.89", 2000: "3.95",
    2001: "3.97", 2002: "3.82", 2003: "3.70", 2004: "3.43", 2005: "3.17", 2006: "2.95", 2007: "2.73",
    2008: "2.21", 2009: "2.08", 2010: "1.92", 2011: "1.63", 2012: "1.50", 2013: "1.41", 2014: "1.37",
    2015: "1.37", 2016: "1.35", 2017: "1.31", 2018: "1.27", 2019: "1.23", 2020: "1.19", 2021: "1.18",
    2022: "1.14", 2023: "1.10", 2024: "1.06", 2025: "1.00",
}
# Voluntary BHXH started in 2008; its income is adjusted like salaries from then on.
VOLUNTARY = {year: value for year, value in COMPULSORY.items() if year >= 2008}


def seed(apps, schema_editor):
    SalaryAdjustment = apps.get_model("benefits", "SalaryAdjustment")
    for scheme, table in (("bhxh_bb", COMPULSORY), ("bhxh_tn", VOLUNTARY)):
        for year, value in table.items():
            SalaryAdjustment.objects.get_or_create(
                scheme=scheme, year=year, defaults={"coefficient": Decimal(value), "source": SOURCE})


def unseed(apps, schema_editor):
    apps.get_model("benefits", "SalaryAdjustment").objects.filter(source=SOURCE).delete()


class Migration(migrations.Migration):
    dependencies = [("benefits", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
