"""The seeded FAQ answer and news article on a parent registering a child (0004, as 0006 left
them) spoke of children under 14, while the portal takes a parent's registration for any child
under 18 and shows the child's records to the parent until the child's 18th birthday
(accounts.selectors.adult_born_by). They now say so. A row is changed only while it still holds
the seeded text word for word: a question, answer or article an officer has since edited in the
admin is left as it is. The reverse does the same the other way round."""

from django.db import migrations

from vssid_portal.text import fold

CHILD = "Quản lý cá nhân › Đăng ký tài khoản cho con"

# (question, answer) as 0006 left them, and now
FAQ_BEFORE = (
    "Con tôi chưa đủ 14 tuổi thì có tài khoản riêng không?",
    "Trẻ em dưới 14 tuổi không tự đăng ký tài khoản. Cha, mẹ hoặc người giám hộ đăng nhập tài khoản của mình, "
    f"vào {CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi được duyệt, "
    "thông tin của con (thẻ BHYT, quá trình tham gia) hiển thị ngay trong tài khoản của cha, mẹ.",
)
FAQ_NOW = (
    "Con tôi chưa đủ 18 tuổi thì có cần tài khoản riêng không?",
    "Không cần. Cha, mẹ hoặc người giám hộ đăng nhập tài khoản của mình, "
    f"vào {CHILD}, khai mã số BHXH và số giấy khai sinh của con; cách này dùng cho con dưới 18 tuổi chưa có "
    "tài khoản riêng. Sau khi được duyệt, thông tin của con (thẻ BHYT, quá trình tham gia) hiển thị ngay trong "
    "tài khoản của cha, mẹ cho đến khi con đủ 18 tuổi. Từ 18 tuổi, con tự đăng ký tài khoản của mình.",
)

SLUG = "dang-ky-tai-khoan-cho-con"
# (title, body) as 0006 left them, and now
NEWS_BEFORE = (
    "Cha mẹ đăng ký tài khoản cho con dưới 14 tuổi",
    "Cha, mẹ hoặc người giám hộ có thể đăng ký để theo dõi thông tin BHYT của con dưới 14 tuổi.\n\n"
    f"Đăng nhập, vào {CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi "
    "cơ quan BHXH duyệt, thẻ BHYT và quá trình tham gia của con hiển thị trong tài khoản của cha, mẹ.",
)
NEWS_NOW = (
    "Cha mẹ đăng ký tài khoản cho con dưới 18 tuổi",
    "Cha, mẹ hoặc người giám hộ có thể đăng ký để theo dõi thông tin BHYT của con dưới 18 tuổi.\n\n"
    f"Đăng nhập, vào {CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi "
    "cơ quan BHXH duyệt, thẻ BHYT và quá trình tham gia của con hiển thị trong tài khoản của cha, mẹ "
    "cho đến khi con đủ 18 tuổi.",
)


def _replace(apps, faq, news):
    FaqQuestion = apps.get_model("lookup", "FaqQuestion")
    NewsArticle = apps.get_model("lookup", "NewsArticle")
    (old_question, old_answer), (question, answer) = faq
    for item in FaqQuestion.objects.filter(question=old_question, answer=old_answer):
        item.question, item.answer = question, answer
        item.search_key = fold(f"{question} {answer}")
        item.save(update_fields=["question", "answer", "search_key", "updated_at"])
    (old_title, old_body), (title, body) = news
    NewsArticle.objects.filter(slug=SLUG, title=old_title, body=old_body).update(title=title, body=body)


def forwards(apps, schema_editor):
    _replace(apps, (FAQ_BEFORE, FAQ_NOW), (NEWS_BEFORE, NEWS_NOW))


def backwards(apps, schema_editor):
    _replace(apps, (FAQ_NOW, FAQ_BEFORE), (NEWS_NOW, NEWS_BEFORE))


class Migration(migrations.Migration):
    dependencies = [("lookup", "0012_faq_card_qr_lifetime")]
    operations = [migrations.RunPython(forwards, backwards)]
