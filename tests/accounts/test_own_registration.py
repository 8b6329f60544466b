"""An officer does not decide a registration of their own case, whichever of their logins it
concerns: for their own record (the staff login names it, User.officer_person), for a child a login
of theirs registered, or for a child a login of theirs is parent or guardian of. The registration's
page offers no button and says why, its approve and reject addresses refuse it, and the service
refuses it; a colleague's or a stranger's registration they still decide."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage

from accounts.models import Guardianship, Registration, RegistrationEvent, User
from accounts.services.registration import child_registration_submit, registration_approve, registration_reject
from lookup.models import Agency

from .helpers import born_years_ago, cccd_for, jpeg, logged, make_person, officer, submit

pytestmark = pytest.mark.usefixtures("reference_data")
DISTRICT = "Cán bộ BHXH cơ sở"
REGISTRATIONS = "/quan-tri/accounts/registration/"
OWN = "cán bộ không xử lý đăng ký của chính mình"


@pytest.fixture
def staff(db, reference_data):
    """An officer of 07901 whose staff login names their own record, which has no login yet."""
    login = officer("canbo07901", "07901", DISTRICT)
    login.officer_person = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    login.save(update_fields=["officer_person"])
    return login


def citizen_login_of(staff):
    person = staff.officer_person
    return User.objects.create_user(person.bhxh_code, password="x-Pass-2026!", person=person)


def a_child(code="7906666667"):
    born = born_years_ago(10)
    return make_person(code, "Lê Minh Khang", birth=born, id_number=cccd_for(born))


def registered_by(parent, child):
    photos = {field: default_storage.save(f"registrations/tmp/t/{field}.jpg", jpeg())
              for field in ("portrait", "id_front", "id_back")}
    return child_registration_submit(
        parent=parent, photos=photos, submission_key="",
        child={"bhxh_code": child.bhxh_code, "full_name": child.full_name, "birth_date": child.birth_date,
               "relationship": "me", "birth_certificate_number": "123/2018",
               "agency": Agency.objects.get(code="07901")})


def registration_of(whose, staff):
    if whose == "own":
        return submit(staff.officer_person)
    if whose == "child":  # registered from the officer's citizen login
        return registered_by(citizen_login_of(staff), a_child())
    # registered by the other parent, the child linked to the officer's citizen login already
    child = a_child()
    Guardianship.objects.create(parent=citizen_login_of(staff), child=child, relationship="me")
    father = make_person("7906666669", "Trần Văn Nam", id_number="079088066669")
    return registered_by(User.objects.create_user(father.bhxh_code, password="x-Pass-2026!", person=father), child)


def linked(registration) -> tuple[int, int]:
    """The parents linked to the registration's person and the logins that log in as them."""
    return (Guardianship.objects.filter(child=registration.person).count(),
            User.objects.filter(person=registration.person).count())


def assert_undecided(registration, links, logins):
    """Still pending, with no decision recorded, no login made and no parent linked."""
    registration.refresh_from_db()
    assert registration.status == Registration.Status.PENDING and registration.decided_by is None
    assert not registration.events.exclude(action=RegistrationEvent.Action.SUBMITTED).exists()
    assert linked(registration) == (links, logins)


WHOSE = ["own", "child", "child of the other parent"]


@pytest.mark.parametrize("whose", WHOSE)
def test_the_service_refuses_an_officers_own_registration(staff, whose):
    registration = registration_of(whose, staff)
    links, logins = linked(registration)
    with pytest.raises(ValidationError, match=OWN):
        registration_approve(registration=registration, officer=staff)
    with pytest.raises(ValidationError, match=OWN):
        registration_reject(registration=registration, officer=staff, reason="Ảnh không rõ")
    assert_undecided(registration, links, logins)


def assert_admin_refuses(client, registration, said):
    """The registration's admin page offers no decision and says why; its approve address, and its
    reject page before and after a reason is typed, refuse saying the same."""
    page = client.get(f"{REGISTRATIONS}{registration.pk}/change/").content.decode()
    assert said in page
    assert f"{registration.pk}/duyet/" not in page and f"{registration.pk}/tu-choi/" not in page
    response = client.post(f"{REGISTRATIONS}{registration.pk}/duyet/", follow=True)
    assert response.status_code == 200 and said in response.content.decode()
    response = client.get(f"{REGISTRATIONS}{registration.pk}/tu-choi/", follow=True)  # before a reason is typed
    assert response.status_code == 200 and said in response.content.decode()
    response = client.post(f"{REGISTRATIONS}{registration.pk}/tu-choi/", {"reason": "Ảnh không rõ"})
    assert response.status_code == 200 and said in response.content.decode()


@pytest.mark.parametrize("whose", WHOSE)
def test_the_admin_offers_no_decision_on_an_officers_own_registration_and_refuses_one(staff, whose):
    registration = registration_of(whose, staff)
    links, logins = linked(registration)
    client = logged(staff)
    assert_admin_refuses(client, registration, OWN)
    assert_undecided(registration, links, logins)


def test_a_strangers_registration_is_still_decided_by_the_officer(staff):
    citizen_login_of(staff)
    stranger = make_person("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345")
    registration = submit(stranger)
    client = logged(staff)
    page = client.get(f"{REGISTRATIONS}{registration.pk}/change/").content.decode()
    assert OWN not in page and f"{registration.pk}/duyet/" in page
    client.post(f"{REGISTRATIONS}{registration.pk}/duyet/")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.APPROVED and registration.decided_by == staff
    assert User.objects.filter(person=stranger).exists()


UNKNOWN = "chưa có mã số BHXH của chính cán bộ nên chưa xử lý được hồ sơ, đăng ký"


@pytest.fixture(params=["officer", "superuser"])
def unknown(request, reference_data):
    """An officer of 07901, or a superuser, whose account names no record of their own: whose own
    registrations cannot be told, so who decides none (fail closed)."""
    if request.param == "officer":
        return officer("canbo07901", "07901", DISTRICT, own_record=False)
    return User.objects.create_superuser("quantri", password="x-Pass-2026!")


def test_the_service_refuses_a_decision_to_an_officer_whose_record_is_not_known(unknown):
    registration = submit(make_person("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345"))
    with pytest.raises(ValidationError, match=UNKNOWN):
        registration_approve(registration=registration, officer=unknown)
    with pytest.raises(ValidationError, match=UNKNOWN):
        registration_reject(registration=registration, officer=unknown, reason="Ảnh không rõ")
    assert_undecided(registration, 0, 0)


def test_the_admin_offers_no_decision_to_an_officer_whose_record_is_not_known_and_refuses_one(unknown):
    registration = submit(make_person("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345"))
    client = logged(unknown)
    assert_admin_refuses(client, registration, UNKNOWN)
    assert_undecided(registration, 0, 0)


def test_a_superuser_who_names_their_record_decides_registrations_but_not_their_own(reference_data):
    record = make_person("7906666666", "Lê Thị Thu", sex=2, id_number="079188066666")
    admin = User.objects.create_superuser("quantri", password="x-Pass-2026!", officer_person=record)
    own = submit(record)
    with pytest.raises(ValidationError, match=OWN):
        registration_approve(registration=own, officer=admin)
    stranger = submit(make_person("7909999999", "Trần Thị Mai", sex=2, id_number="079188012345"))
    registration_approve(registration=stranger, officer=admin)
    stranger.refresh_from_db()
    assert stranger.status == Registration.Status.APPROVED and stranger.decided_by == admin


OWN_SENTENCE = ("là của chính bạn, của con hoặc người bạn là cha, mẹ, người giám hộ, hoặc do bạn đăng ký thay: cán bộ "
                "không xử lý đăng ký của chính mình. Hãy để một cán bộ khác của cơ quan xử lý.")
OWN_ENGLISH = ("is your own, your child's or that of someone you are the parent or guardian of, or you registered it "
               "on their behalf: officers do not decide their own registrations. Leave it to another officer of the "
               "agency.")


def said_on_the_page_and_refusing(client, registration) -> tuple[str, list[str]]:
    """What the registration's page says instead of its buttons, and the refusal of its reject page."""
    import html

    page = html.unescape(client.get(f"{REGISTRATIONS}{registration.pk}/change/").content.decode())
    response = client.get(f"{REGISTRATIONS}{registration.pk}/tu-choi/", follow=True)
    return page.split('<div class="registration-decision">', 1)[1].split("</div>", 1)[0], [
        str(message) for message in response.context["messages"]]


def test_an_english_admin_is_told_in_whole_english_sentences_that_the_registration_is_their_own(staff, settings):
    registration = registration_of("own", staff)
    settings.LANGUAGE_CODE = "en"
    page, refused = said_on_the_page_and_refusing(logged(staff), registration)
    assert f"<p>This registration {OWN_ENGLISH}</p>" in page
    assert refused == [f"Registration {registration.reference} {OWN_ENGLISH}"]


def test_a_vietnamese_admin_is_told_as_before_that_the_registration_is_their_own(staff):
    registration = registration_of("own", staff)
    page, refused = said_on_the_page_and_refusing(logged(staff), registration)
    assert f"<p>Đăng ký này {OWN_SENTENCE}</p>" in page
    assert refused == [f"Đăng ký {registration.reference} {OWN_SENTENCE}"]
