"""One small world for the security suite: an owner with something behind every object URL of the
portal, another citizen, officers of the owner's agency, of another agency of the same province and
of another province, and the links (signed tokens, private-file links) the owner was given."""

from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.views.registration import status_url
from health_card import keys
from health_card.models import CardCheck
from health_card.services import api_token_create, card_check
from lookup.models import MedicalFacility
from lookup.models_support import NewsArticle
from notifications.models import Message
from notifications.services import send_message
from participation.services.statements import statement_request
from public_services.selectors import email_confirmation_token
from public_services.services import feedback_submit
from tests.accounts.helpers import jpeg, make_person
from tests.accounts.helpers import submit as registration_submit
from tests.benefits.helpers import record
from tests.health_card.card_fixtures import issue
from tests.health_card.test_visits import visit
from tests.participation.helpers import period
from tests.public_services.helpers import DISTRICT, citizen, officer
from tests.public_services.helpers import submit as filing_submit
from vssid_portal.files import private_file_url
from vssid_portal.form_keys import new_idempotency_key

PASSWORD = "x-Pass-2026!"
OWNER_NAME, OWNER_CODE = "Nguyễn Văn Đức", "7901234567"
# The API token of the owner's clinic: seen by the officers of the clinic's province only.
TOKEN_NAME = "Phần mềm HIS khoa Khám bệnh tầng 3"
APPLICANT_NAME, APPLICANT_CODE = "Lê Thị Hồng Nhung", "7905550001"
CONTACT_EMAIL = "duc.lien.he.moi@example.vn"  # the new e-mail of the owner's contact change filing
TYPED_EMAIL = "duc.nhan.thong.bao@example.vn"  # typed on the owner's 608A: mailed the link confirming it


@dataclass
class World:
    owner: object
    stranger: object
    officer: object  # of the owner's agency: the one who may see the owner's records in the admin
    other_officer: object  # of another district of the owner's province
    other_province_officer: object = None  # of a district of another province (Hà Nội)
    objects: dict = field(default_factory=dict)
    links: dict = field(default_factory=dict)

    def secrets(self) -> list[str]:
        """Text that must never appear on a page served to someone else."""
        return [OWNER_NAME, OWNER_CODE, APPLICANT_NAME, APPLICANT_CODE, "079088012345", "079188012346", TOKEN_NAME,
                CONTACT_EMAIL, TYPED_EMAIL]


def use_fresh_signing_keys(settings, tmp_path):
    settings.HEALTH_CARD_SIGNING_KEYS = {"1000": keys.new_private_key_text()}
    settings.HEALTH_CARD_SIGNING_KEY_ID = ""
    settings.HEALTH_CARD_DEV_KEY_FILE = tmp_path / "dev-keys.json"
    keys._synced.clear()


def build_world() -> World:
    """Everything the owner has, made through the services where one exists."""
    owner = citizen(OWNER_CODE, OWNER_NAME)
    stranger = citizen("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345", agency_code="07902")
    world = World(owner=owner, stranger=stranger, officer=officer("canbo07901", "07901", DISTRICT),
                  other_officer=officer("canbo07902", "07902", DISTRICT),
                  other_province_officer=officer("canbo00101", "00101", DISTRICT))
    person = owner.person
    facility = MedicalFacility.objects.filter(province__code="79", bhyt_contract=True).order_by("code").first()
    objects = world.objects

    period(person, "01/2015", "12/2020")
    objects["filing"] = filing = filing_submit(owner, "608A", email=TYPED_EMAIL)
    objects["document"] = filing.documents.first()
    # A change of contact details: its pages show the new phone and e-mail (CONTACT_EMAIL).
    objects["contact_filing"] = filing_submit(owner, "DOI-LIEN-HE", new_email=CONTACT_EMAIL)
    objects["statement"] = statement_request(person=person, requested_by=owner, verify_base="http://testserver")
    objects["card"] = card = issue(person, facility)
    objects["period"] = person.periods.first()
    objects["visit"] = visit(person, facility=facility.code)
    objects["benefit"] = record(person)
    card_check(channel=CardCheck.Channel.TYPED, number=card.number, full_name=OWNER_NAME,
               birth_date=person.birth_date)
    objects["card_check"] = CardCheck.objects.filter(card=card).first()
    objects["api_token"], _ = api_token_create(facility=facility, name=TOKEN_NAME, created_by=world.officer)
    objects["notice"] = send_message(channel=Message.Channel.INBOX, template="feedback_received", user=owner,
                                     context={"feedback": None, "sms": False}, idempotency_key="security-notice")
    objects["message"] = objects["notice"]
    objects["person"] = person
    objects["user"] = owner
    objects["feedback"] = feedback_submit(
        kind="phan_anh", topic="khac", content=f"Phản ánh của {OWNER_NAME}, mã {OWNER_CODE}", full_name=OWNER_NAME,
        phone="+84912345678", email="", attachment=ContentFile(jpeg().read(), name="anh.jpg"), user=owner,
        idempotency_key=new_idempotency_key(),
    )
    applicant = make_person(APPLICANT_CODE, APPLICANT_NAME, sex=2, id_number="079188012346")
    objects["registration"] = registration_submit(applicant)
    objects["news"] = NewsArticle.objects.create(
        title="Bản tin nội bộ chưa đăng", slug="ban-tin-noi-bo-chua-dang", summary=f"Dự thảo về {OWNER_NAME}",
        body=f"Dự thảo có {OWNER_NAME} {OWNER_CODE}", is_published=False, published_at=timezone.now(),
        lead_image="lead/du-thao.jpg",
        lead_image_alt="Ảnh dự thảo",
    )
    return world


def make_links(world: World) -> None:
    """The links the owner was given; call it once the PDFs are built (after commit)."""
    owner, objects = world.owner, world.objects
    statement, registration, filing = objects["statement"], objects["registration"], objects["filing"]
    for obj in (statement, registration, filing):
        obj.refresh_from_db()
    world.links = {
        "registration_status": status_url(registration),
        "statement_pdf": private_file_url(statement.pdf.name, user=owner, filename="xac-nhan.pdf")
        if statement.pdf else None,
        "filing_document": private_file_url(objects["document"].file.name, user=owner, inline=True),
        "filing_pdf": private_file_url(filing.declaration_pdf.name, user=owner) if filing.declaration_pdf else None,
        "registration_pdf": private_file_url(registration.declaration_pdf.name, user=None, session_key="owner-session")
        if registration.declaration_pdf else None,
        "feedback_attachment": private_file_url(objects["feedback"].attachment.name, user=owner),
        "email_confirm": reverse("public_services:email_confirm", args=[email_confirmation_token(filing, TYPED_EMAIL)]),
    }


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client

