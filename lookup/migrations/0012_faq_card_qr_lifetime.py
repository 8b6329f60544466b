"""The seeded FAQ answer on using the card at a clinic (0004) said that the card's picture on the
portal is worth the paper card, so a citizen could expect a screenshot to be enough. An on-screen QR
is good for ten minutes after it is made (health_card.qr.SCREEN_SECONDS) and a printed card's QR
until the card ends: the answer now says so, and where each is. A row is changed only while it
still holds the seeded text word for word; the reverse does the same the other way round."""

from django.db import migrations

from vssid_portal.text import fold

QUESTION = "Có thể dùng thẻ BHYT trên VssID thay cho thẻ giấy khi đi khám chữa bệnh không?"
SEEDED = (
    "Có. Hình ảnh thẻ BHYT trên ứng dụng VssID và trên Cổng có giá trị sử dụng như thẻ giấy khi khám chữa "
    "bệnh BHYT. Cơ sở khám chữa bệnh quét mã QR trên thẻ để kiểm tra; bạn cũng có thể xuất trình CCCD gắn "
    "chip thay cho thẻ."
)
NOW = (
    "Có. Thẻ BHYT trên ứng dụng VssID và trên Cổng có giá trị sử dụng như thẻ giấy khi khám chữa bệnh BHYT. "
    "Khi đến cơ sở khám chữa bệnh, hãy đăng nhập, mở Thẻ BHYT › Mã QR để nhân viên quét. Mã QR trên màn hình "
    "chỉ dùng được 10 phút kể từ khi tạo rồi tự đổi mã mới, nên ảnh chụp màn hình không dùng lại được.\n\n"
    "Nếu không tiện mở điện thoại, hãy chọn Tải thẻ để in (PDF): mã QR trên thẻ in dùng được đến hết hạn thẻ "
    "(thẻ được cấp lại thì mã QR cũ không còn giá trị). Bạn cũng có thể xuất trình CCCD gắn chip thay cho thẻ."
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
    dependencies = [("lookup", "0011_employer_code_search_index")]
    operations = [migrations.RunPython(forwards, backwards)]
