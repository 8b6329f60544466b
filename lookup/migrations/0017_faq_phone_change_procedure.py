"""The seeded FAQ answer on changing the registered phone number (0004) said to file the adjustment
"at the BHXH agency or through public services" when the portal had no such service. It now names
the portal's procedure, what happens once it is completed, and where to go for someone who no
longer receives the codes on the old number (and so cannot log in on a new device). The answer
changes only while it is still the seeded one word for word, so an officer's wording is kept; the
reverse does the same the other way round."""

from django.db import migrations

from vssid_portal.text import fold

QUESTION = "Đổi số điện thoại đã đăng ký như thế nào?"
SEEDED = ("Số điện thoại nhận mã xác thực là thông tin đã đăng ký với cơ quan BHXH. Để thay đổi, hãy nộp tờ khai "
          "điều chỉnh thông tin tại cơ quan BHXH hoặc qua dịch vụ công; khi được cập nhật, các mã xác thực sẽ gửi "
          "đến số mới.")
NOW = ("Số điện thoại nhận mã xác thực là thông tin đã đăng ký với cơ quan BHXH. Đăng nhập, vào Dịch vụ công › "
       "Điều chỉnh số điện thoại, email, địa chỉ liên hệ, khai số mới và nộp hồ sơ. Số đang đăng ký nhận tin nhắn "
       "báo việc thay đổi; khi cơ quan BHXH giải quyết xong, các mã xác thực được gửi đến số mới. Nếu không còn "
       "dùng số cũ và không đăng nhập được, hãy mang giấy tờ tùy thân đến cơ quan BHXH quản lý hoặc gọi tổng đài "
       "1900 9068.")


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
    dependencies = [("lookup", "0016_faq_codes_an_hour")]
    operations = [migrations.RunPython(forwards, backwards)]
