"""The seeded FAQ answers and news article (0004) named menu items the portal does not have:
"Dịch vụ công › Hồ sơ của tôi" and "Quản lý cá nhân › Đăng ký cho con". They now name the real
links, "Hồ sơ đã nộp và kết quả giải quyết" (Dịch vụ công) and "Đăng ký tài khoản cho con"
(Quản lý cá nhân). A row is changed only while it still holds the seeded text word for word: an
answer an officer has since edited in the admin is left as it is. The reverse does the same the
other way round."""

from django.db import migrations

from vssid_portal.text import fold

OLD_FILINGS = "Dịch vụ công › Hồ sơ của tôi"
NEW_FILINGS = "Dịch vụ công › Hồ sơ đã nộp và kết quả giải quyết"
OLD_CHILD = "Quản lý cá nhân › Đăng ký cho con"
NEW_CHILD = "Quản lý cá nhân › Đăng ký tài khoản cho con"

# (question, answer as seeded by 0004, answer now)
FAQ = [
    ("Con tôi chưa đủ 14 tuổi thì có tài khoản riêng không?",
     "Trẻ em dưới 14 tuổi không tự đăng ký tài khoản. Cha, mẹ hoặc người giám hộ đăng nhập tài khoản của mình, "
     f"vào {OLD_CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi được duyệt, "
     "thông tin của con (thẻ BHYT, quá trình tham gia) hiển thị ngay trong tài khoản của cha, mẹ.",
     "Trẻ em dưới 14 tuổi không tự đăng ký tài khoản. Cha, mẹ hoặc người giám hộ đăng nhập tài khoản của mình, "
     f"vào {NEW_CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi được duyệt, "
     "thông tin của con (thẻ BHYT, quá trình tham gia) hiển thị ngay trong tài khoản của cha, mẹ."),
    ("Làm sao theo dõi hồ sơ dịch vụ công đã nộp?",
     f"Vào {OLD_FILINGS} để xem trạng thái từng hồ sơ, ngày hẹn trả kết quả và lịch sử xử lý. "
     "Mỗi khi trạng thái thay đổi, bạn nhận được thông báo và tin nhắn SMS.",
     f"Vào {NEW_FILINGS} để xem trạng thái từng hồ sơ, ngày hẹn trả kết quả và lịch sử xử lý. "
     "Mỗi khi trạng thái thay đổi, bạn nhận được thông báo và tin nhắn SMS."),
]

# (slug, body as seeded by 0004, body now)
NEWS = [
    ("dang-ky-tai-khoan-cho-con",
     "Cha, mẹ hoặc người giám hộ có thể đăng ký để theo dõi thông tin BHYT của con dưới 14 tuổi.\n\n"
     f"Đăng nhập, vào {OLD_CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi "
     "cơ quan BHXH duyệt, thẻ BHYT và quá trình tham gia của con hiển thị trong tài khoản của cha, mẹ.",
     "Cha, mẹ hoặc người giám hộ có thể đăng ký để theo dõi thông tin BHYT của con dưới 14 tuổi.\n\n"
     f"Đăng nhập, vào {NEW_CHILD}, khai mã số BHXH và số giấy khai sinh của con. Sau khi "
     "cơ quan BHXH duyệt, thẻ BHYT và quá trình tham gia của con hiển thị trong tài khoản của cha, mẹ."),
]


def _replace(apps, old_index, new_index):
    FaqQuestion = apps.get_model("lookup", "FaqQuestion")
    NewsArticle = apps.get_model("lookup", "NewsArticle")
    for row in FAQ:
        question, old, new = row[0], row[old_index], row[new_index]
        for item in FaqQuestion.objects.filter(question=question, answer=old):
            item.answer = new
            item.search_key = fold(f"{question} {new}")
            item.save(update_fields=["answer", "search_key", "updated_at"])
    for row in NEWS:
        slug, old, new = row[0], row[old_index], row[new_index]
        NewsArticle.objects.filter(slug=slug, body=old).update(body=new)


def forwards(apps, schema_editor):
    _replace(apps, 1, 2)


def backwards(apps, schema_editor):
    _replace(apps, 2, 1)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0005_reference_version")]
    operations = [migrations.RunPython(forwards, backwards)]
