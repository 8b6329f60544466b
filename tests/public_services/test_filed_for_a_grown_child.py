"""A filing a parent made for a child who has turned 18 since, without a login of their own: the
parent may view the child's records no more (accounts.selectors.children_of) and the child cannot
log in, so nobody can correct, send again or withdraw it on the portal. The parent's list says so
and that the child must register; the officer's page says so and that rejecting it with a reason
closes it, the child reading the reason once registered."""

import pytest

from accounts.models import Guardianship, User
from public_services.models import Filing
from public_services.selectors import filing_declarant, nobody_to_correct
from public_services.services import filing_reject, filing_resubmit, filing_return
from tests.accounts.helpers import born_years_ago, make_person

from .helpers import answers, district_officer, logged, owner, submit  # noqa: F401

pytestmark = pytest.mark.django_db

CHILD = "Nguyễn Minh Khang"
PARENT_NOTE = f"{CHILD} cần đăng ký tài khoản trên Cổng"
OFFICER_NOTE = "Không ai sửa, nộp lại hoặc rút được hồ sơ này trên Cổng"


def _son_of(owner, **fields):
    """The parent's 17-year-old son, without a login, at the parent's agency, with `fields`."""
    son = make_person("7905555556", CHILD, birth=born_years_ago(17), id_number="")
    son.agency = owner.person.agency
    for name, value in fields.items():
        setattr(son, name, value)
    son.save(update_fields=["agency", *fields])
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    return son


def _returned_for_son(owner, officer):
    """The parent's 607A for his son (_son_of), returned for correction."""
    filing = submit(owner, person=_son_of(owner))
    return filing_return(filing=filing, officer=officer, what="Bổ sung giấy khai sinh")


@pytest.fixture
def returned(owner, district_officer):  # noqa: F811
    """The parent's 607A for his son, returned for correction, the son 18 since and without a login."""
    filing = _returned_for_son(owner, district_officer)
    son = filing.person
    son.birth_date = born_years_ago(19)
    son.save(update_fields=["birth_date"])
    return filing


def test_the_parents_list_names_the_filing_and_says_the_grown_child_must_register(owner, returned):
    client = logged(owner)
    html = client.get("/dich-vu-cong/ho-so/").content.decode()
    assert returned.tracking_number in html and PARENT_NOTE in html
    assert f"/dich-vu-cong/ho-so/{returned.pk}/" not in html  # the adult's filing is theirs to read
    assert client.get(f"/dich-vu-cong/ho-so/{returned.pk}/").status_code == 404


def test_the_parents_list_says_nothing_once_the_child_has_a_login_of_their_own(owner, returned):
    User.objects.create_user(returned.person.bhxh_code, password="x-Pass-2026!", person=returned.person)
    html = logged(owner).get("/dich-vu-cong/ho-so/").content.decode()
    assert returned.tracking_number not in html and PARENT_NOTE not in html


def test_the_parents_list_says_nothing_of_a_closed_filing(owner, returned, district_officer):  # noqa: F811
    filing_reject(filing=returned, officer=district_officer, reason="Người tham gia đã đủ 18 tuổi")
    html = logged(owner).get("/dich-vu-cong/ho-so/").content.decode()
    assert returned.tracking_number not in html and PARENT_NOTE not in html


def test_the_officer_is_told_nobody_can_correct_it_and_may_reject_it(returned, district_officer):  # noqa: F811
    url = f"/quan-tri/public_services/filing/{returned.pk}/change/"
    html = logged(district_officer).get(url).content.decode()
    assert OFFICER_NOTE in html and CHILD in html
    assert f"/quan-tri/public_services/filing/{returned.pk}/ghi-chu/reject/" in html
    filing_reject(filing=returned, officer=district_officer, reason="Người tham gia đã đủ 18 tuổi, cần tự nộp")
    assert Filing.objects.get(pk=returned.pk).status == Filing.Status.REJECTED


def test_the_officer_is_not_told_so_once_the_child_has_a_login(returned, district_officer):  # noqa: F811
    User.objects.create_user(returned.person.bhxh_code, password="x-Pass-2026!", person=returned.person)
    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{returned.pk}/change/").content.decode()
    assert OFFICER_NOTE not in html


def test_the_officer_is_not_told_so_while_the_parent_may_still_act(owner, district_officer):  # noqa: F811
    filing = _returned_for_son(owner, district_officer)
    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{filing.pk}/change/").content.decode()
    assert OFFICER_NOTE not in html


def test_the_child_registered_since_declares_the_filing_they_send_again(returned, district_officer):  # noqa: F811
    """Once registered, the grown child corrects and sends the filing again from their own login:
    that revision's declaration is theirs, not signed by the parent "for" an adult any more."""
    child = User.objects.create_user(returned.person.bhxh_code, password="x-Pass-2026!", person=returned.person)
    filing = filing_resubmit(filing=returned, user=child, data=answers("607A"), uploads={}, revision=returned.revision)
    assert filing_declarant(Filing.objects.get(pk=filing.pk)) is None
    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{filing.pk}/change/").content.decode()
    assert "Người tham gia tự kê khai" in html and "Nguyễn Văn Đức" not in html


def test_the_correction_page_starts_with_the_childs_own_contact_not_the_parents(owner, district_officer):  # noqa: F811
    """The answers the parent gave stay, but the phone and e-mail to reach the declarant are the
    child's own: kept, the parent's typed address would go on hearing of an adult's filing."""
    son = _son_of(owner, phone="+84987654321")
    filing = submit(owner, person=son, email="duc.nguyen@example.vn")
    filing_return(filing=filing, officer=district_officer, what="Bổ sung giấy khai sinh")
    son.birth_date = born_years_ago(19)
    son.save(update_fields=["birth_date"])
    child = User.objects.create_user(son.bhxh_code, password="x-Pass-2026!", person=son, email="khang@example.vn")
    form = logged(child).get(f"/dich-vu-cong/ho-so/{filing.pk}/sua/").context["form"]
    assert form["email"].value() == "khang@example.vn" and form["phone"].value() == "0987 654 321"
    assert form["details"].value() == "Mất sổ khi chuyển nhà ở Thủ Đức"


def _payment_method_returned(owner, district_officer, *, typed="0912345678"):  # noqa: F811
    """The father's change of payment method for his son, 17 and without a phone, its number to
    contact `typed` (the father's own, as the form starts), returned; the son 18 since and registered
    with a mobile of his own."""
    son = _son_of(owner, phone="")
    filing = submit(owner, "THAY-DOI-CHI-TRA", person=son, new_phone=typed)
    filing_return(filing=filing, officer=district_officer, what="Ghi rõ điểm chi trả")
    son.birth_date, son.phone = born_years_ago(19), "+84987654321"
    son.save(update_fields=["birth_date", "phone"])
    User.objects.create_user(son.bhxh_code, password="x-Pass-2026!", person=son)
    return filing


def test_the_grown_childs_correction_starts_with_their_own_mobile_not_the_parents_number(owner, district_officer):  # noqa: F811
    """The father's number, the one to contact while the son had no phone, is not the beneficiary's
    mobile: sent unchanged from the son's correction it would be declared as the adult's own."""
    filing = _payment_method_returned(owner, district_officer)
    page = logged(User.objects.get(person=filing.person)).get(f"/dich-vu-cong/ho-so/{filing.pk}/sua/")
    assert page.context["form"]["new_phone"].value() == "0987 654 321"
    assert page.context["form"]["post_office"].value() == "Bưu điện Sài Gòn"


def test_the_grown_childs_correction_keeps_a_mobile_the_parent_typed_for_the_child(owner, district_officer):  # noqa: F811
    """A number the father typed instead of his own is the one he declared the son's: it stays."""
    filing = _payment_method_returned(owner, district_officer, typed="0977123456")
    page = logged(User.objects.get(person=filing.person)).get(f"/dich-vu-cong/ho-so/{filing.pk}/sua/")
    assert page.context["form"]["new_phone"].value() == "0977 123 456"


LOCKED_NOTE = f"tài khoản của {CHILD} đang bị khóa"


def test_the_parents_list_says_the_grown_childs_locked_account_is_the_agencys_to_open(owner, returned):
    """Registration refuses the code of a login an officer deactivated: the parent is not told the
    child must register, but that the agency must open the child's account again."""
    User.objects.create_user(returned.person.bhxh_code, password="x-Pass-2026!", person=returned.person, is_active=False)
    html = logged(owner).get("/dich-vu-cong/ho-so/").content.decode()
    assert returned.tracking_number in html and PARENT_NOTE not in html
    assert f"Hồ sơ {returned.tracking_number}" in html and LOCKED_NOTE in html and "mở lại tài khoản" in html
    assert 'href="/dang-ky/"' not in html


def test_the_officer_is_told_the_grown_childs_locked_account_must_be_opened_again(returned, district_officer):  # noqa: F811
    User.objects.create_user(returned.person.bhxh_code, password="x-Pass-2026!", person=returned.person, is_active=False)
    note = nobody_to_correct(Filing.objects.get(pk=returned.pk))
    assert note.startswith(OFFICER_NOTE) and LOCKED_NOTE in note and "cơ quan BHXH mở lại tài khoản" in note
    assert "chưa có tài khoản" not in note and "đăng ký tài khoản" not in note
    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{returned.pk}/change/").content.decode()
    assert LOCKED_NOTE in html


def test_the_officer_is_told_a_minors_only_parent_is_locked_out_not_that_the_child_is_grown(owner, district_officer):  # noqa: F811
    """A minor still linked to a parent whose login an officer deactivated: nobody is told of the
    filing, but not because the child is 18 or no longer linked."""
    son = make_person("7905555556", CHILD, birth=born_years_ago(12), id_number="")
    son.agency = owner.person.agency
    son.save(update_fields=["agency"])
    Guardianship.objects.create(parent=owner, child=son, relationship="cha")
    filing = filing_return(filing=submit(owner, person=son), officer=district_officer, what="Bổ sung giấy khai sinh")
    User.objects.filter(pk=owner.pk).update(is_active=False)
    note = nobody_to_correct(Filing.objects.get(pk=filing.pk))
    assert note.startswith(OFFICER_NOTE)
    assert "đủ 18 tuổi" not in note and "không còn liên kết" not in note
    assert f"tài khoản của cha, mẹ, người giám hộ của {CHILD} đang bị khóa" in note
    assert "cơ quan BHXH mở lại tài khoản" in note


def test_the_officer_is_still_told_the_grown_child_without_a_login_must_register(returned):
    note = nobody_to_correct(Filing.objects.get(pk=returned.pk))
    assert f"{CHILD} chưa có tài khoản" in note and "đã đủ 18 tuổi" in note and f"{CHILD} đăng ký tài khoản" in note
    assert "đang bị khóa" not in note


def test_the_grown_childs_correction_starts_with_their_own_mobile_after_the_parent_changed_number(
        owner, district_officer):  # noqa: F811
    """The father's number is recognised as his own as it was when he filed, not as it is now: a
    father who changed his phone since does not leave his old number declared as the adult son's."""
    filing = _payment_method_returned(owner, district_officer)
    owner.person.phone = "+84977000111"
    owner.person.save(update_fields=["phone"])
    page = logged(User.objects.get(person=filing.person)).get(f"/dich-vu-cong/ho-so/{filing.pk}/sua/")
    assert page.context["form"]["new_phone"].value() == "0987 654 321"


def test_a_correction_of_a_filing_stored_before_whose_number_it_was_was_recorded_reads_it_as_before(
        owner, district_officer):  # noqa: F811
    """Without the record, the father's number is recognised as his phone is now, as it was before."""
    filing = _payment_method_returned(owner, district_officer)
    filing.data.pop("new_phone_of")
    filing.save(update_fields=["data"])
    page = logged(User.objects.get(person=filing.person)).get(f"/dich-vu-cong/ho-so/{filing.pk}/sua/")
    assert page.context["form"]["new_phone"].value() == "0987 654 321"


def test_an_english_admin_is_told_in_english_why_nobody_can_correct_the_filing(returned, district_officer,  # noqa: F811
                                                                               settings):
    settings.LANGUAGE_CODE = "en"
    english = (f"Nobody can correct, resubmit or withdraw this application on the portal: {CHILD} has no account yet, "
               f"and {CHILD} has turned 18, so parents or guardians can no longer act for them; nobody receives "
               f"notices about the application. The application waits until {CHILD} registers an account; not to "
               f"wait, reject it and write the reason, which {CHILD} can read once registered.")
    assert nobody_to_correct(Filing.objects.get(pk=returned.pk)) == english
    html = logged(district_officer).get(f"/quan-tri/public_services/filing/{returned.pk}/change/").content.decode()
    assert f"<p>{english}</p>" in html


def test_a_vietnamese_admin_is_told_as_before_why_nobody_can_correct_the_filing(returned):
    assert nobody_to_correct(Filing.objects.get(pk=returned.pk)) == (
        f"{OFFICER_NOTE}: {CHILD} chưa có tài khoản, và {CHILD} đã đủ 18 tuổi nên cha, mẹ, người giám hộ không còn "
        f"thao tác thay; không ai nhận được thông báo về hồ sơ. Hồ sơ chờ đến khi {CHILD} đăng ký tài khoản; nếu "
        f"không chờ, hãy từ chối giải quyết và ghi lý do, {CHILD} đọc được lý do khi đăng ký tài khoản.")
