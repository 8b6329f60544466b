"""The "Hỗ trợ" menu: FAQ by topic with an accent-insensitive search and the seeded VssID
questions, hotline and e-mail, news list and articles with their lead images (published ones
only, safe headers), and the admin pages that manage FAQ and news."""

import datetime
import importlib
import io
import re

import pytest
from django.conf import settings
from django.utils import timezone, translation
from PIL import Image

from accounts.models import User
from lookup.models_support import FaqQuestion, FaqTopic, NewsArticle, news_image_storage
from lookup.selectors_support import NEWS_PER_PAGE
from lookup.services_support import faq_question_save
from tests.accounts.helpers import jpeg
from tests.html_language import languages_of

pytestmark = pytest.mark.django_db

SUPPORT, NEWS = "/ho-tro/", "/tin-tuc/"
SEEDED = {
    "Đăng ký và tài khoản": [
        "Chưa có mã số BHXH thì có đăng ký tài khoản được không?",  # registering without a code
        "Một người có thể có mấy tài khoản?",  # one account per person
        "Con tôi chưa đủ 18 tuổi thì có cần tài khoản riêng không?",  # children's accounts
    ],
    "Đăng nhập và mật khẩu": ["Tôi quên mật khẩu thì làm thế nào?"],
    "Thẻ BHYT trên VssID": ["Có thể dùng thẻ BHYT trên VssID thay cho thẻ giấy khi đi khám chữa bệnh không?"],
}


def page(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def sections(html: str) -> dict[str, list[str]]:
    """Topic heading → the questions shown under it, in page order."""
    found = {}
    for block in re.findall(r'<section class="faq-topic".*?</section>', html, re.S):
        title = re.search(r"<h3[^>]*>([^<]+)</h3>", block).group(1)
        found[title] = re.findall(r"<summary>([^<]+)</summary>", block)
    return found


def png(color=(200, 40, 40)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (64, 32), color).save(out, "PNG")
    return out.getvalue()


@pytest.fixture
def news_root(settings, tmp_path):
    settings.NEWS_MEDIA_ROOT = tmp_path / "news"
    return settings.NEWS_MEDIA_ROOT


def article(slug="bai-moi", *, published=True, days_ago=0, image=False, **fields) -> NewsArticle:
    lead = news_image_storage().save(f"lead/{slug}.png", io.BytesIO(png())) if image else ""
    return NewsArticle.objects.create(
        slug=slug, title=fields.pop("title", f"Tin {slug}"), summary="Tóm tắt",
        body=fields.pop("body", "Đoạn một.\n\nĐoạn hai."),
        lead_image=lead, lead_image_alt="Ảnh minh họa" if image else "", is_published=published,
        published_at=timezone.now() - datetime.timedelta(days=days_ago), **fields,
    )


# --- FAQ ---------------------------------------------------------------------------------------

def test_faq_is_grouped_by_topic_with_the_common_vssid_questions(client):
    shown = sections(page(client, SUPPORT))
    assert list(shown)[:3] == ["Đăng ký và tài khoản", "Đăng nhập và mật khẩu", "Thẻ BHYT trên VssID"]
    for topic, questions in SEEDED.items():
        assert set(questions) <= set(shown[topic]), topic
    assert sum(map(len, shown.values())) == FaqQuestion.objects.filter(is_published=True).count()


@pytest.mark.parametrize("query", ["quen mat khau", "QUÊN MẬT KHẨU", "  quên   mật khau ", "“Quên mật khẩu?”",
                                   "ｑｕｅｎ ｍａｔ ｋｈａｕ"])  # fullwidth letters, as some keyboards type them
def test_faq_search_ignores_accents_and_case(client, query):
    html = page(client, SUPPORT, q=query)
    assert sections(html) == {"Đăng nhập và mật khẩu": ["Tôi quên mật khẩu thì làm thế nào?"]}
    assert "Tìm thấy 1 câu hỏi" in html and "<details class=\"faq\" open>" in html


def test_faq_search_reads_answers_too_and_says_when_nothing_matches(client):
    # "giấy khai sinh" is only in the answers about children's accounts.
    found = sections(page(client, SUPPORT, q="giay khai sinh"))
    assert "Con tôi chưa đủ 18 tuổi thì có cần tài khoản riêng không?" in found["Đăng ký và tài khoản"]
    html = page(client, SUPPORT, q="khong co cau hoi nao nhu the")
    assert sections(html) == {} and "Không có câu hỏi phù hợp" in html
    assert sections(page(client, SUPPORT, q="?")) == {}  # punctuation only: nothing to look for


def test_faq_search_matches_words_from_their_start(client):
    """Each word of the query begins a word of the question or answer: "ong" was found inside
    "không", "trong" and "công" in most answers."""
    assert sections(page(client, SUPPORT, q="ong")) == {}
    assert sections(page(client, SUPPORT, q="quen mat"))["Đăng nhập và mật khẩu"] == ["Tôi quên mật khẩu thì làm thế nào?"]
    topic = FaqTopic.objects.get(slug="the-bhyt")
    faq_question_save(question=FaqQuestion(topic=topic, question="Thẻ có mã QR không?", answer="Có (xem thẻ)."))
    assert "Thẻ có mã QR không?" in sections(page(client, SUPPORT, q="xem the"))["Thẻ BHYT trên VssID"]


def test_faq_search_names_the_words_it_leaves_out(client, settings):
    """The words after those a search reads were dropped without a word."""
    typed = "q qu que quen m ma mat khẩu không có từ này"
    html = page(client, SUPPORT, q=typed)
    assert sections(html) == {"Đăng nhập và mật khẩu": ["Tôi quên mật khẩu thì làm thế nào?"]}
    assert "Từ khóa quá dài: các từ “không có từ này” không được tìm." in html
    assert "không được tìm" not in page(client, SUPPORT, q="quên mật khẩu")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "The search is too long: the words “không có từ này” were not searched." in page(client, SUPPORT, q=typed)


@pytest.mark.parametrize("query", ["quên\tmật khẩu", "quên\nmật\r\nkhẩu", "quên\u200b mật khẩu"])
def test_faq_search_reads_a_tab_or_a_line_break_as_a_space(client, query):
    """"quên<tab>mật khẩu" is three words, not "quênmật khẩu", which finds nothing."""
    html = page(client, SUPPORT, q=query)
    assert sections(html) == {"Đăng nhập và mật khẩu": ["Tôi quên mật khẩu thì làm thế nào?"]}


@pytest.mark.parametrize("query", ["%00", "a%00b", "%25", "_", "x" * 3000, "%ED%A0%80", "%3Cscript%3E"])
def test_faq_search_survives_tampered_queries(client, query):
    response = client.get(f"{SUPPORT}?q={query}")
    assert response.status_code == 200 and "<script>" not in response.content.decode()


def test_unpublished_questions_stay_hidden(client):
    topic = FaqTopic.objects.get(slug="the-bhyt")
    faq_question_save(question=FaqQuestion(topic=topic, question="Câu hỏi nháp về thẻ?", answer="Nháp", is_published=False))
    assert "Câu hỏi nháp" not in page(client, SUPPORT) and "Câu hỏi nháp" not in page(client, SUPPORT, q="nhap")


def main_of(html: str) -> str:
    """The page's own content, without the layout's header and footer."""
    return html[html.index('<main id="noi-dung"'):html.index("</main>")]


def test_hotline_and_email_are_on_the_support_page_and_in_every_footer(client, reference_data):
    support = main_of(page(client, SUPPORT))  # the footer carries both as well
    assert '<dd><a class="hotline" href="tel:19009068">1900 9068</a></dd>' in support
    email = settings.PORTAL_EMAIL
    assert f'<dd><a href="mailto:{email}">{email}</a></dd>' in support
    for url in ["/", "/tra-cuu/", "/tra-cuu/co-quan-bhxh/", NEWS, "/dich-vu-cong/phan-anh/"]:
        footer = page(client, url).split('<footer class="site-footer">')[1]
        assert "1900 9068" in footer and email in footer, url
        assert 'href="/ho-tro/"' in footer and 'href="/dich-vu-cong/phan-anh/"' in footer


def test_the_support_email_is_set_in_one_place_for_the_support_page_and_every_footer(client, settings):
    settings.PORTAL_EMAIL = "hotro@bhxh.example.vn"
    for url in [SUPPORT, f"{NEWS}dang-ky-tai-khoan-cho-con/", "/"]:
        html = page(client, url)
        assert "baohiemxahoi@vss.gov.vn" not in html, url
        footer = html.split('<footer class="site-footer">')[1]
        assert '<a href="mailto:hotro@bhxh.example.vn">hotro@bhxh.example.vn</a>' in footer, url
    assert '<dd><a href="mailto:hotro@bhxh.example.vn">' in page(client, SUPPORT)


def test_support_page_links_to_feedback_and_latest_news(client):
    """Read in the page's own content: every footer links to the feedback form as well."""
    main = main_of(page(client, SUPPORT))
    assert 'href="/dich-vu-cong/phan-anh/"' in main and 'href="/dich-vu-cong/phan-anh/tra-cuu/"' in main
    assert 'href="/tin-tuc/dang-ky-tai-khoan-cho-con/"' in main


# --- News --------------------------------------------------------------------------------------

def test_news_list_newest_first_with_pages(client, news_root):
    for number in range(NEWS_PER_PAGE):
        article(f"tin-{number:02d}", days_ago=number % 3)
    article("ban-nhap", published=False)
    article("hen-gio", days_ago=-2)  # scheduled: not out yet
    first = page(client, NEWS)
    titles = re.findall(r'<h2><a href="/tin-tuc/([^/]+)/">', first)
    assert len(titles) == NEWS_PER_PAGE and "ban-nhap" not in titles and "hen-gio" not in titles
    dates = [NewsArticle.objects.get(slug=slug).published_at for slug in titles]
    assert dates == sorted(dates, reverse=True)
    assert 'href="?trang=2" rel="next"' in first and "Trang 1 / 2" in first
    second = page(client, NEWS, trang="2")
    rest = re.findall(r'<h2><a href="/tin-tuc/([^/]+)/">', second)
    assert len(rest) == NewsArticle.objects.filter(is_published=True).count() - 1 - NEWS_PER_PAGE  # minus hen-gio
    assert set(rest).isdisjoint(titles)
    for trang in ["99", "abc", "%00", "-1"]:
        assert client.get(f"{NEWS}?trang={trang}").status_code == 200
    assert "Trang 2 / 2" in page(client, NEWS, trang="99")  # past the end: the last page
    for trang in ["0", "-1"]:  # before the start: the first page
        assert "Trang 1 / 2" in page(client, NEWS, trang=trang), trang


def test_article_page_shows_paragraphs_lead_image_and_other_news(client):
    seeded = NewsArticle.objects.get(slug="canh-giac-lua-dao-mao-danh-bhxh")
    html = page(client, f"{NEWS}{seeded.slug}/")
    assert f"<h1>{seeded.title}</h1>" in html
    assert html.count("<p>Thời gian gần đây") == 1 and "<p>Cơ quan BHXH không bao giờ" in html
    assert f'<img class="news-lead" src="/tin-tuc/anh/{seeded.pk}/" alt="Biểu tượng cảnh báo lừa đảo qua điện thoại"' in html
    assert "Tin khác" in html and 'href="/tin-tuc/dang-ky-tai-khoan-cho-con/"' in html
    assert f'href="/tin-tuc/{seeded.slug}/"' not in html.split("Tin khác")[1]


@pytest.mark.parametrize("body", [
    "Đoạn một.\r\nDòng hai của đoạn một.\r\n\r\nĐoạn hai.",  # as the admin's textarea sends it
    "Đoạn một.\nDòng hai của đoạn một.\n  \t\nĐoạn hai.",  # a blank line holding spaces
    "Đoạn một.\rDòng hai của đoạn một.\r\rĐoạn hai.",
], ids=["crlf", "blank-line-with-spaces", "cr"])
def test_an_article_body_is_split_into_paragraphs_whatever_its_newlines(client, news_root, body):
    item = article("xuong-dong", body=body)
    html = page(client, f"{NEWS}{item.slug}/")
    assert "<p>Đoạn một.<br>Dòng hai của đoạn một.</p>" in html and "<p>Đoạn hai.</p>" in html


# --- Language of parts ------------------------------------------------------------------------
# FAQ and news are stored in Vietnamese only: marked lang="vi" on every page, so that a screen
# reader on an English page reads them with Vietnamese pronunciation (WCAG 3.1.2); the English
# pages also say that this content is in Vietnamese only.

@pytest.fixture
def in_language(client):
    def read(url, language) -> str:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
        return page(client, url)

    return read


def english(text: str) -> str:
    with translation.override("en"):
        return translation.gettext(text)


@pytest.mark.parametrize("language", ["en", "vi"])
def test_faq_and_latest_news_on_the_support_page_are_marked_vietnamese(in_language, language):
    html = in_language(SUPPORT, language)
    question = FaqQuestion.objects.get(question="Tôi quên mật khẩu thì làm thế nào?")
    latest = NewsArticle.objects.get(slug="dang-ky-tai-khoan-cho-con")
    for text in ("Đăng nhập và mật khẩu", question.question, question.answer.splitlines()[0], latest.title):
        assert set(languages_of(html, text)) == {"vi"}, text
    note = english("Câu hỏi và câu trả lời chỉ có bằng tiếng Việt.")
    assert languages_of(html, note) == (["en"] if language == "en" else [])


@pytest.mark.parametrize("language", ["en", "vi"])
def test_news_titles_bodies_and_image_descriptions_are_marked_vietnamese(in_language, language):
    seeded = NewsArticle.objects.get(slug="canh-giac-lua-dao-mao-danh-bhxh")
    other = NewsArticle.objects.get(slug="dang-ky-tai-khoan-cho-con")
    note = english("Tin tức chỉ có bằng tiếng Việt.")
    listed = in_language(NEWS, language)
    for text in (seeded.title, seeded.summary, other.title):
        assert set(languages_of(listed, text)) == {"vi"}, text
    assert languages_of(listed, note) == (["en"] if language == "en" else [])

    html = in_language(f"{NEWS}{seeded.slug}/", language)
    for text in (seeded.title, seeded.summary, "Thời gian gần đây", "Cơ quan BHXH không bao giờ",
                 seeded.lead_image_alt, other.title):
        assert set(languages_of(html, text)) == {"vi"}, text
    published = english("Ngày đăng") if language == "en" else "Ngày đăng"
    assert languages_of(html, published) == [language]  # the interface text keeps the page's language
    assert languages_of(html, note) == (["en"] if language == "en" else [])


def test_unpublished_or_scheduled_articles_are_not_found(client, news_root):
    draft, scheduled = article("ban-nhap", published=False, image=True), article("hen-gio", days_ago=-1, image=True)
    for item in (draft, scheduled):
        assert client.get(f"{NEWS}{item.slug}/").status_code == 404
        assert client.get(f"/tin-tuc/anh/{item.pk}/").status_code == 404
    assert client.get(f"{NEWS}khong-co-bai-nay/").status_code == 404


def test_lead_image_of_a_published_article_is_served_with_safe_headers(client, news_root):
    item = article("co-anh", image=True)
    response = client.get(f"/tin-tuc/anh/{item.pk}/")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["Cache-Control"] == "public, max-age=86400"
    assert b"".join(response.streaming_content) == png()


def test_seeded_lead_images_are_served(client):
    item = NewsArticle.objects.get(slug="vssid-thay-the-the-bhyt-giay")
    response = client.get(f"/tin-tuc/anh/{item.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\x89PNG\r\n\x1a\n")


def test_no_image_a_missing_file_or_a_foreign_type_is_not_found(client, news_root):
    plain = article("khong-anh")
    assert client.get(f"/tin-tuc/anh/{plain.pk}/").status_code == 404
    gone = article("mat-anh", image=True)
    news_image_storage().delete(gone.lead_image.name)
    assert client.get(f"/tin-tuc/anh/{gone.pk}/").status_code == 404
    html_file = article("trang-html")
    html_file.lead_image = news_image_storage().save("lead/trang.html", io.BytesIO(b"<script>alert(1)</script>"))
    html_file.lead_image_alt = "x"
    html_file.save()
    assert client.get(f"/tin-tuc/anh/{html_file.pk}/").status_code == 404


def test_a_lead_image_of_a_foreign_type_is_not_found_without_leaving_its_file_open(client, news_root, monkeypatch):
    from lookup.models_support import NewsImageStorage

    item = article("trang-html")
    item.lead_image = news_image_storage().save("lead/trang.html", io.BytesIO(b"<p>x</p>"))
    item.lead_image_alt = "x"
    item.save()
    opened, real_open = [], NewsImageStorage.open

    def open_and_note(storage, *args, **kwargs):
        opened.append(real_open(storage, *args, **kwargs))
        return opened[-1]

    monkeypatch.setattr(NewsImageStorage, "open", open_and_note)
    assert client.get(f"/tin-tuc/anh/{item.pk}/").status_code == 404
    assert [handle for handle in opened if not handle.closed] == []


def test_seeding_again_reuses_the_drawn_lead_images(news_root):
    """Each migrate (every test database) runs the seed: it must not leave a new copy each time."""
    from django.apps import apps

    seed = importlib.import_module("lookup.migrations.0004_faq_news_seed").seed
    NewsArticle.objects.all().delete()
    seed(apps, None)
    drawn = sorted(path.name for path in news_root.rglob("*.png"))
    NewsArticle.objects.all().delete()
    seed(apps, None)
    assert sorted(path.name for path in news_root.rglob("*.png")) == drawn and len(drawn) == 3
    assert sorted(NewsArticle.objects.values_list("lead_image", flat=True)) == [f"lead/{name}" for name in drawn]


# --- Admin -------------------------------------------------------------------------------------

@pytest.fixture
def admin_client(client):
    client.force_login(User.objects.create_superuser("quantri", password="x-Pass-2026!"))
    return client


def test_admin_adds_a_question_that_the_search_then_finds(admin_client, client):
    topic = FaqTopic.objects.get(slug="the-bhyt")
    response = admin_client.post("/quan-tri/lookup/faqquestion/add/", {
        "topic": topic.pk, "question": "  Thẻ  BHYT   bị mất thì xin cấp lại ở đâu? ",
        "answer": "Nộp thủ tục cấp lại thẻ BHYT tại mục Dịch vụ công.", "position": "5", "is_published": "on",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    question = FaqQuestion.objects.get(question="Thẻ BHYT bị mất thì xin cấp lại ở đâu?")
    assert question.search_key == "the bhyt bi mat thi xin cap lai o dau? nop thu tuc cap lai the bhyt tai muc dich vu cong."
    assert sections(page(client, SUPPORT, q="cap lai the bhyt o dau"))["Thẻ BHYT trên VssID"] == [question.question]


def test_admin_edits_questions_inline_on_their_topic(admin_client, client):
    topic = FaqTopic.objects.get(slug="the-bhyt")
    questions = list(topic.questions.order_by("position", "pk"))
    data = {"title": topic.title, "slug": topic.slug, "position": topic.position,
            "questions-TOTAL_FORMS": str(len(questions) + 1), "questions-INITIAL_FORMS": str(len(questions)),
            "questions-MIN_NUM_FORMS": "0", "questions-MAX_NUM_FORMS": "1000"}
    for index, question in enumerate(questions):
        data.update({f"questions-{index}-id": question.pk, f"questions-{index}-topic": topic.pk,
                     f"questions-{index}-question": question.question, f"questions-{index}-answer": question.answer,
                     f"questions-{index}-position": question.position,
                     f"questions-{index}-is_published": "on"})
    data[f"questions-{len(questions) - 1}-DELETE"] = "on"
    new = len(questions)
    data.update({f"questions-{new}-topic": topic.pk, f"questions-{new}-question": "Thẻ có mã QR để làm gì?",
                 f"questions-{new}-answer": "", f"questions-{new}-position": "9", f"questions-{new}-is_published": "on"})
    refused = admin_client.post(f"/quan-tri/lookup/faqtopic/{topic.pk}/change/", data)
    assert refused.status_code == 200 and FaqQuestion.objects.filter(pk=questions[-1].pk).exists()
    data[f"questions-{new}-answer"] = "Cơ sở khám chữa bệnh quét mã QR để kiểm tra thẻ."
    response = admin_client.post(f"/quan-tri/lookup/faqtopic/{topic.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert not FaqQuestion.objects.filter(pk=questions[-1].pk).exists()
    added = FaqQuestion.objects.get(question="Thẻ có mã QR để làm gì?")
    assert added.topic == topic and added.search_key.startswith("the co ma qr")


def test_admin_publishes_an_article_with_a_re_encoded_lead_image(admin_client, client, news_root):
    upload = jpeg("anh-bia.jpg", size=(320, 160))
    polyglot = upload.read() + b"<html><script>alert(1)</script></html>"
    upload.file = io.BytesIO(polyglot)
    upload.size = len(polyglot)
    fields = {"title": "Gia hạn thẻ BHYT hộ gia đình", "slug": "gia-han-the-bhyt", "summary": "Hướng dẫn gia hạn",
              "body": "Đoạn một.\n\nĐoạn hai.", "lead_image_alt": "", "published_at_0": "01/01/2026",
              "published_at_1": "08:00:00", "is_published": "on"}
    refused = admin_client.post("/quan-tri/lookup/newsarticle/add/", {**fields, "lead_image": upload})
    assert refused.status_code == 200 and "Hãy mô tả ngắn nội dung ảnh" in refused.content.decode()
    upload.file.seek(0)
    response = admin_client.post("/quan-tri/lookup/newsarticle/add/", {**fields, "lead_image": upload,
                                                                         "lead_image_alt": "Thẻ BHYT trên điện thoại"})
    assert response.status_code == 302, response.content.decode()[:3000]
    item = NewsArticle.objects.get(slug="gia-han-the-bhyt")
    stored = item.lead_image.read()
    assert item.lead_image.name.endswith(".jpg") and stored.startswith(b"\xff\xd8") and b"<script>" not in stored
    assert (news_root / item.lead_image.name).exists()
    assert "Gia hạn thẻ BHYT hộ gia đình" in page(client, NEWS)
    served = client.get(f"/tin-tuc/anh/{item.pk}/")
    assert served["Content-Type"] == "image/jpeg" and b"".join(served.streaming_content) == stored


def test_admin_refuses_a_text_file_as_lead_image(admin_client, news_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("anh.jpg", b"day khong phai la anh", content_type="image/jpeg")
    response = admin_client.post("/quan-tri/lookup/newsarticle/add/", {
        "title": "Tin", "slug": "tin", "summary": "Tóm tắt", "body": "Nội dung", "lead_image": fake,
        "lead_image_alt": "Ảnh", "published_at_0": "01/01/2026", "published_at_1": "08:00:00",
    })
    assert response.status_code == 200 and not NewsArticle.objects.filter(slug="tin").exists()
    assert "Hãy tải lên một hình ảnh hợp lệ." in response.content.decode()
    assert not news_root.exists() or not any(news_root.rglob("*.*"))  # nothing stored


def test_officers_do_not_manage_faq_or_news(client, reference_data):
    from tests.public_services.helpers import DISTRICT, officer

    client.force_login(officer("canbo07901", "07901", DISTRICT))
    assert client.get("/quan-tri/lookup/faqquestion/").status_code == 403
    assert client.get("/quan-tri/lookup/newsarticle/add/").status_code == 403


NEWS_ROOT = """
import django
django.setup()
from lookup.models_support import news_image_storage
print(news_image_storage().location)
"""


def test_news_images_are_kept_in_the_folder_named_by_the_environment():
    from tests.vssid_portal.test_settings import run

    result = run(NEWS_ROOT, NEWS_MEDIA_ROOT="/data/news")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "/data/news"
    default = run(NEWS_ROOT).stdout.strip().splitlines()[-1]
    assert default == str(settings.BASE_DIR / "var" / "media" / "news")


def test_compose_keeps_the_news_images_on_a_named_volume_the_web_user_can_write():
    """In the web container's own files the lead images were lost at every redeploy."""
    from tests.vssid_portal.test_beat import _compose_blocks

    blocks = _compose_blocks()
    portal = next(lines for key, lines in blocks.items() if key.startswith("x-portal"))  # the web service's environment and volumes (`<<: *portal`)
    assert "<<: *portal" in blocks["services.web"] and not any(line.startswith("volumes:") for line in blocks["services.web"])
    root = next(line.split(":", 1)[1].strip() for line in portal if line.startswith("NEWS_MEDIA_ROOT:"))
    mounts = [line.removeprefix("- ").split(":") for line in portal if line.startswith("- ")]
    kept = [volume for volume, directory in mounts if root == directory or root.startswith(directory.rstrip("/") + "/")]
    assert kept and f"{kept[0]}:" in blocks["volumes"], (root, mounts)
    made = re.search(r"mkdir -p ([^&\\\n]+)\\?\s*&& chown -R portal ([^\n]+)", (settings.BASE_DIR / "Dockerfile").read_text())
    assert root in made.group(1).split()
