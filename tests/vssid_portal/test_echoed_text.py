"""Every public form puts back what was typed without a NUL or another control character: the
lookups, the BHXH-code lookup, the clinic verify page's two forms, the registration's steps and
status lookup, the feedback lookup and the statement check. A NUL the field refuses is told in
Vietnamese; before, the box held the NUL again (a NUL refused by the lookups came back with it).
A field that stores its text as typed (the admin's) keeps on its page shown again all but its
control characters, lest the next save store it altered."""

import re
import unicodedata

import pytest

from accounts.models import User
from accounts.services.challenge import ChallengePurpose, challenge_issue
from tests.accounts.helpers import declaration_data, jpeg, make_person, solve
from tests.health_card.card_fixtures import clinic_user, facility, logged_in, signing_keys  # noqa: F401
from tests.public_services.helpers import answers, owner  # noqa: F401

pytestmark = pytest.mark.django_db

NUL_REFUSED = "Không được chứa ký tự rỗng (NUL)."
TYPED = "Nguyễn\x00 Văn\x01 Đức\x7f"  # a NUL, a control character and DEL
SHOWN = "Nguyễn Văn Đức"


def control_characters(page: str) -> list[str]:
    return [char for char in page if unicodedata.category(char) == "Cc" and char not in "\n\r\t"]


def box_value(page: str, name: str) -> str:
    tag = re.search(rf'<input[^>]*\bname="{name}"[^>]*>', page).group(0)
    return re.search(r'value="([^"]*)"', tag).group(1)


def assert_put_back_clean(response, name: str, shown: str = SHOWN) -> str:
    page = response.content.decode()
    assert response.status_code in (200, 400)
    assert control_characters(page) == []
    assert box_value(page, name) == shown
    return page


@pytest.mark.parametrize("url", ["/tra-cuu/co-quan-bhxh/", "/tra-cuu/co-so-kcb/", "/tra-cuu/co-so-kcb/cap-giay-nghi-om/",
                                 "/tra-cuu/don-vi/", "/tra-cuu/diem-thu/"])
def test_a_lookup_refuses_a_nul_and_puts_back_the_words_without_it(client, reference_data, url):
    page = assert_put_back_clean(client.get(url, {"q": TYPED}), "q")
    assert NUL_REFUSED in page


def test_the_bhxh_code_lookup_puts_back_the_name_without_control_characters(client, reference_data):
    token = challenge_issue(purpose=ChallengePurpose.CODE_LOOKUP).token
    response = client.post("/tra-cuu/ma-so-bhxh/", {
        "full_name": TYPED, "birth_date": "15/03/1988", "province": "", "id_number": "079088012345",
        "parent_name": "", "challenge": token, "work": solve(token, 14), "answer": "",
    })
    assert_put_back_clean(response, "full_name")


def test_the_public_card_check_refuses_a_nul_and_puts_back_the_string_without_it(client):
    response = client.post("/xac-thuc/the-bhyt/", {"cach": "quet", "ma_qr": "0111077012|4e67\x00|$"})
    page = assert_put_back_clean(response, "ma_qr", "0111077012|4e67|$")
    assert NUL_REFUSED in page


def test_the_clinic_typed_check_puts_back_the_name_without_control_characters(clinic_user):
    response = logged_in(clinic_user).post("/xac-thuc/the-bhyt/", {
        "cach": "nhap", "so_the": "7901234567", "ho_ten": TYPED, "ngay_sinh": "31/02/1988"})
    assert_put_back_clean(response, "ho_ten")


def test_the_registration_puts_back_the_name_and_the_agency_search_without_control_characters(client, reference_data):
    make_person()
    response = client.post("/dang-ky/", declaration_data(full_name=TYPED, phone="12"))
    assert_put_back_clean(response, "full_name")
    assert client.post("/dang-ky/", declaration_data()).status_code == 302
    assert client.post("/dang-ky/anh/", {"portrait": jpeg(), "id_front": jpeg(), "id_back": jpeg()}).status_code == 302
    assert_put_back_clean(client.get("/dang-ky/co-quan/", {"q": "Phú\x00 Nhuận"}), "q", "Phú Nhuận")


def test_the_registration_status_lookup_puts_back_the_reference_without_control_characters(client, reference_data):
    response = client.post("/dang-ky/tra-cuu/", {"reference": "DK26\x0011ABC234", "bhxh_code": "123"})
    assert_put_back_clean(response, "reference", "DK2611ABC234")


def test_the_feedback_lookup_puts_back_the_number_and_contact_without_control_characters(client, reference_data):
    assert_put_back_clean(client.get("/dich-vu-cong/phan-anh/tra-cuu/", {"ma": "PA\x0026"}), "tracking_number", "PA26")
    response = client.post("/dich-vu-cong/phan-anh/tra-cuu/", {"tracking_number": "PA\x0026", "contact": "09\x0087"})
    page = assert_put_back_clean(response, "tracking_number", "PA26")
    assert box_value(page, "contact") == "0987"


def test_the_statement_check_puts_back_the_code_without_control_characters(client):
    assert_put_back_clean(client.get("/xac-thuc/van-ban/", {"ma": "ABCD\x00EFGH"}), "ma", "ABCDEFGH")


# What an officer may type that the admin's plain text fields store as typed: an emoji joined by
# zero-width joiners, a soft hyphen, a tab.
AS_TYPED = "Ngày hội gia đình 👨\u200d👩\u200d👧\tđăng\u00adký"


def test_an_admin_text_shown_again_after_an_error_keeps_what_its_field_stores_but_a_nul(client):
    client.force_login(User.objects.create_superuser("quantri", password="Mk-quantri-2026"))
    response = client.post("/quan-tri/lookup/newsarticle/add/", {
        "title": AS_TYPED, "slug": "ngay-hoi", "summary": f"Tóm\x00 tắt {AS_TYPED}", "body": f"Đoạn một\n{AS_TYPED}",
        "published_at_0": "01/12/2026", "published_at_1": "08:00:00",
        "lead_image": jpeg(), "lead_image_alt": ""})  # refused: an image without its description
    page = response.content.decode()
    assert response.status_code == 200 and "Hãy mô tả ngắn nội dung ảnh" in page
    assert control_characters(page) == []
    assert box_value(page, "title") == AS_TYPED
    assert box_value(page, "summary") == f"Tóm tắt {AS_TYPED}"
    assert re.search(r'<textarea[^>]*\bname="body"[^>]*>\n?([^<]*)</textarea>', page).group(1) == f"Đoạn một\n{AS_TYPED}"


def test_the_registration_shown_again_by_its_ward_button_puts_back_the_name_without_control_characters(client, reference_data):
    response = client.post("/dang-ky/", declaration_data(full_name=TYPED, refresh_wards="1"), follow=True)
    assert_put_back_clean(response, "full_name")


def test_a_procedure_shown_again_by_its_list_button_puts_back_what_was_typed_without_control_characters(client, owner):
    client.force_login(owner)
    url = "/dich-vu-cong/chuyen-noi-huong/"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    response = client.post(url, {**answers("CHUYEN-NOI-HUONG", new_address=f"45 {TYPED}",
                                           details="Chuyển về\x00 ở\r\nvới con gái"),
                                 "idempotency_key": key, "refresh": "1"}, follow=True)
    page = assert_put_back_clean(response, "new_address", f"45 {SHOWN}")
    assert 'class="error-summary"' not in page  # shown again, not judged
    assert re.search(r'<textarea[^>]*\bname="details"[^>]*>\n?([^<]*)</textarea>', page).group(1) == "Chuyển về ở\nvới con gái"


UNSEEN_NOTE = ("Đã bỏ các ký tự không nhìn thấy được (ký tự điều khiển hoặc định dạng) khỏi nội dung đã nhập. Hãy "
               "kiểm tra lại ô này trước khi gửi.")


def test_a_form_shown_again_for_another_error_says_beside_the_box_that_invisible_characters_were_removed(
        client, reference_data):
    """The registration refused for its phone: the name typed with an escape character comes back without
    it, and the box says so (linked to it by aria-describedby), instead of changing what was typed without
    a word; the other boxes say nothing."""
    make_person()
    response = client.post("/dang-ky/", declaration_data(full_name="Nguyễn Văn\x1b Đức", phone="12"))
    page = assert_put_back_clean(response, "full_name")
    assert page.count(UNSEEN_NOTE) == 1
    assert f'<span class="hint field-note" id="id_full_name_note">{UNSEEN_NOTE}</span>' in page
    tag = re.search(r'<input[^>]*\bname="full_name"[^>]*>', page).group(0)
    assert "id_full_name_note" in re.search(r'aria-describedby="([^"]*)"', tag).group(1)
    client.cookies["django_language"] = "en"
    english = client.post("/dang-ky/", declaration_data(full_name="Nguyễn Văn\x1b Đức", phone="12")).content.decode()
    assert "Invisible characters (control or formatting characters) were removed from what was typed." in english


def test_the_note_is_for_characters_dropped_not_for_line_breaks_tabs_or_a_nul_refused_in_words():
    from django import forms

    from vssid_portal.forms import UNSEEN_DROPPED, TextField

    class Form(forms.Form):
        text = TextField(widget=forms.Textarea, required=False)
        line = TextField(required=False)
        title = forms.CharField(required=False)

    def notes(**data):
        form = Form(data)
        return {name: str(form[name].unseen_note) for name in data if form[name].unseen_note}

    assert notes(text="dòng 1\r\ndòng 2\tcuối", line="a\tb c", title="Tiêu\tđề") == {}
    assert notes(text="dòng\u200b 1\r\n", line="a\x07b", title="Tiêu\x1fđề") == {
        "text": str(UNSEEN_DROPPED), "line": str(UNSEEN_DROPPED), "title": str(UNSEEN_DROPPED)}
    form = Form({"title": "Tiêu\x00đề"})
    assert form.errors["title"] == [NUL_REFUSED] and form["title"].unseen_note == ""


def test_the_admin_says_beside_a_box_that_invisible_characters_were_removed_and_links_it(client):
    """The officers' admin, refused for its date, puts back the holiday's name without the escape
    character and says so beside the box, the id the box's aria-describedby names being on the page."""
    client.force_login(User.objects.create_superuser("quantri", password="Mk-quantri-2026"))
    response = client.post("/quan-tri/public_services/holiday/add/", {
        "date": "31/02/2027", "name": "Tết\x1b Dương lịch", "kind": "holiday"})
    page = response.content.decode()
    assert response.status_code == 200 and 'class="errornote"' in page
    assert box_value(page, "name") == "Tết Dương lịch"
    assert page.count(UNSEEN_NOTE) == 1
    tag = re.search(r'<input[^>]*\bname="name"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]*)"', tag).group(1).split()
    assert "id_name_note" in described
    assert all(f'id="{id_}"' in page for id_ in described)
    assert re.search(rf'id="id_name_note"[^>]*>\s*(?:<div>)?{re.escape(UNSEEN_NOTE)}', page)


def note_linked(page: str, name: str, tag: str = "input") -> bool:
    """Whether the box `name` has the note beside it, named by its aria-describedby."""
    box = re.search(rf'<{tag}[^>]*\bname="{name}"[^>]*>', page).group(0)
    described = re.search(r'aria-describedby="([^"]*)"', box)
    return (f'<span class="hint field-note" id="id_{name}_note">{UNSEEN_NOTE}</span>' in page
            and described is not None and f"id_{name}_note" in described.group(1).split())


def test_the_registration_shown_again_by_its_ward_button_says_beside_the_box_that_invisible_characters_were_removed(
        client, reference_data):
    """Step 1 refreshed without JavaScript is shown again by a GET from what the session kept: the name
    typed with an escape character comes back without it and says so, as a form shown again for an
    error does, and says it again when opened again, until the step is sent."""
    response = client.post("/dang-ky/", declaration_data(full_name="Nguyễn Văn\x1b Đức", refresh_wards="1"))
    assert response.status_code == 302
    for _ in range(2):
        page = assert_put_back_clean(client.get("/dang-ky/"), "full_name")
        assert page.count(UNSEEN_NOTE) == 1 and note_linked(page, "full_name")
    client.post("/dang-ky/", declaration_data(full_name="Nguyễn Văn Đức", refresh_wards="1"))
    assert UNSEEN_NOTE not in client.get("/dang-ky/").content.decode()  # typed again clean: no note


def test_a_procedure_shown_again_by_its_list_button_says_beside_the_box_that_invisible_characters_were_removed(
        client, owner):
    """A new filing's list refreshed without JavaScript is shown again by a GET from the draft: the
    address typed with a zero-width space comes back without it and says so beside it, the other boxes
    saying nothing; a refresh by the script, shown from the post, says it too."""
    client.force_login(owner)
    url = "/dich-vu-cong/chuyen-noi-huong/"
    key = re.search(r'name="idempotency_key" value="([^"]+)"', client.get(url).content.decode()).group(1)
    posted = {**answers("CHUYEN-NOI-HUONG", new_address="45 Hà Huy\u200b Giáp", details="Về ở với con"),
              "idempotency_key": key, "refresh": "1"}
    assert client.post(url, posted).status_code == 302
    page = client.get(url).content.decode()
    assert box_value(page, "new_address") == "45 Hà Huy Giáp"
    assert page.count(UNSEEN_NOTE) == 1 and note_linked(page, "new_address")
    page = client.post(url, posted, HTTP_X_REQUESTED_WITH="refresh-list").content.decode()
    assert page.count(UNSEEN_NOTE) == 1 and note_linked(page, "new_address")
