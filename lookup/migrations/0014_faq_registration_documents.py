"""The seeded FAQ answer on registering (0004) asked for photos of "hai mặt CCCD", while the
registration takes a CCCD, an old CMND or a passport (accounts.validators.IdType) and asks for both
sides of whichever was declared; it also left out that the temporary password sent by SMS must be
changed at the first login (accounts.middleware). The answer now says both. A row is changed only
while it still holds the seeded text word for word; the reverse does the same the other way round."""

from django.db import migrations

from vssid_portal.text import fold

QUESTION = "Làm thế nào để đăng ký tài khoản?"
SEEDED = (
    "Chọn Đăng ký, khai mã số BHXH, thông tin giấy tờ tùy thân và số điện thoại di động, tải ảnh chân dung "
    "và hai mặt CCCD, chọn cơ quan BHXH tiếp nhận. Tài khoản được cấp sau khi cơ quan BHXH duyệt; mật khẩu "
    "tạm thời được gửi qua SMS đến số điện thoại đã đăng ký."
)
NOW = (
    "Chọn Đăng ký, khai mã số BHXH, thông tin giấy tờ tùy thân (CCCD, CMND hoặc hộ chiếu) và số điện thoại di "
    "động, tải ảnh chân dung và ảnh hai mặt giấy tờ đã khai, chọn cơ quan BHXH tiếp nhận. Tài khoản được cấp "
    "sau khi cơ quan BHXH duyệt; mật khẩu tạm thời được gửi qua SMS đến số điện thoại đã đăng ký và phải đổi "
    "ngay khi đăng nhập lần đầu."
)


def _replace(apps, old, new):
    FaqQuestion = apps.get_model("lookup", "FaqQuestion")
    for item in FaqQuestion.objects.filter(question=QUESTION, answer=old):
        item.answer = new
        item.search_key = fold(f"{QUESTION} {new}")
        item.save(update_fields=["answer", "search_key", "updated_at"])


def forwards(apps, schema_editor):
    _replace(apps, SEEDED, NOW)


def backwards(apps, schema_editor):
    _replace(apps, NOW, SEEDED)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0013_faq_child_accounts_until_18")]
    operations = [migrations.RunPython(forwards, backwards)]
