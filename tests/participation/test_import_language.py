"""The period import's errors are written in the language active when they are found: the officer's
admin in English reads them in English, a Vietnamese one as they have always been written."""

import html as html_lib
import io
import re

import pytest
from django.utils import translation

from lookup.models import Agency, Employer
from lookup.selectors import agency_subtree_ids
from participation.models import Period
from participation.services.imports import periods_import
from tests.accounts.helpers import officer, officer_record
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

from .helpers import period
from .test_import import HEADER, csv_lines, employer_code

pytestmark = pytest.mark.usefixtures("reference_data")

OFFICER = "canbo07901"
ROW = "7901234567,{kind},{first},{last},{payer},{employer},,{base},{rate},{amount},{unpaid},{province},{agency},{facility}"


def row(**changes) -> str:
    """A good row of 7901234567 (an employer's BHXH, 2021), but for `changes`."""
    values = {"kind": "bhxh_bb", "first": "01/2021", "last": "12/2021", "payer": "employer", "employer": "{E}",
              "base": "12000000", "rate": "25", "amount": "3000000", "unpaid": "0", "province": "79",
              "agency": "07901", "facility": ""}
    return ROW.format(**{**values, **changes})


def rows_with_every_error() -> list[str]:
    return [
        row().replace("7901234567", "7909999999"),  # nobody's code
        row().replace("7901234567", officer_record(OFFICER).bhxh_code),  # the officer's own
        row(kind="bhxh"), row(payer="congty"), row(agency="99999"), row(agency="07903"), row(rate="abc"),
        row(unpaid="x"), row(first="2021-01"), row(employer="XX9999X"), row(base="mười"), row(amount="-5"),
        row(province="99"), row(kind="bhyt", rate="4.5", amount="540000", facility="99999"),
        row().replace(",,", ",Kỹ\x00sư,", 1), row() + ",", row(agency=""),
        row(first="01/2022", last="12/2021"),  # the model's own rules
        row(base="1000000000000000", amount="250000000000000"),
        row(first="01/2015", last="12/2018"),  # a stored period of another agency, the same key
        row(first="06/2005", last="12/2006"),  # the months of a stored period of the same employer
        row(kind="bhxh_tn", first="06/2010", last="06/2011", payer="self", employer="", base="5000000", rate="22",
            amount="1100000"),  # the months of a stored period the participant pays
        row(kind="bhyt", first="06/2012", last="06/2013", payer="household", employer="", base="2340000", rate="4.5",
            amount="105300"),  # the months of a stored period of another agency
        row(first="01/2023", last="12/2023"), row(first="01/2023", last="06/2024"),  # the same key twice
        row(first="01/2024", last="12/2024", payer="self", employer="", kind="bhxh_tn", base="5000000", rate="22",
            amount="1100000"),
        row(first="06/2024", last="06/2025", payer="self", employer="", kind="bhxh_tn", base="5000000", rate="22",
            amount="1100000"),  # the months of an earlier row
    ]


def every_error(officers) -> list[tuple[int, str]]:
    """The errors of a semicolon file, of one missing columns, of an officer whose record is not known,
    and of a file with a row of each other kind of error, imported by a district officer."""
    staff, unknown = officers
    scope = agency_subtree_ids(Agency.objects.get(code="07901"))
    errors = []
    for lines, actor in [
        (io.StringIO(HEADER.replace(",", ";")), staff),
        (io.StringIO("ma_so_bhxh,loai\n7901234567,bhyt\n"), staff),
        (io.StringIO(HEADER), unknown),
        (csv_lines(*rows_with_every_error()), staff),
    ]:
        errors += periods_import(lines=lines, dry_run=True, agency_scope=scope, actor=actor).errors
    return errors


@pytest.fixture
def officers(reference_data):
    """A district officer, and one whose own record is not known."""
    return (officer(OFFICER, "07901", "Cán bộ BHXH cơ sở"),
            officer(f"{OFFICER}x", "07901", "Cán bộ BHXH cơ sở", own_record=False))


@pytest.fixture
def stored(person):
    code = employer_code()
    period(person, "01/2015", "06/2016", agency_code="07902", employer_code=code)
    period(person, "01/2005", "12/2005", employer_code=code)
    period(person, "01/2010", "12/2010", kind=Period.Kind.BHXH_VOLUNTARY, payer=Period.Payer.SELF)
    period(person, "01/2012", "12/2012", kind=Period.Kind.BHYT, payer=Period.Payer.HOUSEHOLD, agency_code="07902")


def without_data(message: str) -> str:
    """The message less what it quotes from the file (between “ and ”) and the stored names it gives."""
    message = re.sub(r"“[^”]*”", "", message)
    for name in Employer.objects.values_list("name", flat=True):
        message = message.replace(name, "")
    return message


def test_an_english_import_reports_every_kind_of_error_in_english(stored, officers):
    with translation.override("en"):
        errors = every_error(officers)
    rows = len(rows_with_every_error())
    assert len(errors) == 3 + rows - 2  # each header file one error; each row one, but the first of a pair
    assert [message for _line, message in errors if VIETNAMESE_LETTERS.search(without_data(message))] == []
    assert any(VIETNAMESE_LETTERS.search(message) for _line, message in errors), "the control: data quoted"


def test_a_vietnamese_import_reports_its_errors_as_written(stored, officers):
    """In Vietnamese, the errors are their text in the source, which the tests of the import quote."""
    with translation.override("vi"):
        vietnamese = every_error(officers)
    with translation.override(None):  # no catalogue: the source's text
        source = every_error(officers)
    assert vietnamese == source
    assert len(vietnamese) == 3 + len(rows_with_every_error()) - 2


def test_the_english_admin_shows_an_imports_errors_in_english(client, settings, person, stored, officers):
    from accounts.models import Person

    Person.objects.filter(pk=person.pk).update(agency=Agency.objects.get(code="07901"))  # one of the officer's people
    settings.LANGUAGE_CODE = "en"
    client.force_login(officers[0])
    upload = io.BytesIO(csv_lines(row(kind="bhxh"), row(employer="XX9999X"), row(first="06/2010", last="06/2011",
                                                                                  kind="bhxh_tn", payer="self",
                                                                                  employer="", base="5000000",
                                                                                  rate="22", amount="1100000"),
                                  row(base="mười")).getvalue().encode())
    upload.name = "qua-trinh.csv"
    page = html_lib.unescape(client.post("/quan-tri/participation/period/nhap-csv/",
                                         {"file": upload, "dry_run": "on"}).content.decode())
    table = page.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    cells = re.findall(r"<td>([^<]*)</td>", table)
    assert len(cells) == 8 and "(use bhxh_bb, " in table and "mười" in table
    assert [cell for cell in cells if VIETNAMESE_LETTERS.search(without_data(cell))] == []
