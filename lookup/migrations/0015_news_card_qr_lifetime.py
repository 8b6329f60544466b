"""The seeded news article on using the card at a clinic (0004) told readers to show "hình ảnh thẻ",
a picture of the card, as the FAQ did before 0012. An on-screen QR is good for ten minutes after it
is made (health_card.qr.SCREEN_SECONDS) and a printed card's QR until the card ends: the summary
and the body now say so. Each is changed only while it still holds the seeded text word for word;
the reverse does the same the other way round."""

from django.db import migrations

SLUG = "vssid-thay-the-the-bhyt-giay"
# (summary, body) as seeded by 0004, and now
SEEDED = (
    "Người tham gia BHYT có thể xuất trình hình ảnh thẻ trên VssID hoặc CCCD gắn chip thay cho thẻ giấy.",
    "Hình ảnh thẻ BHYT trên ứng dụng VssID có giá trị sử dụng như thẻ giấy khi khám chữa bệnh BHYT.\n\n"
    "Khi đến cơ sở khám chữa bệnh, người bệnh mở thẻ trên ứng dụng hoặc trên Cổng dịch vụ BHXH số để nhân viên "
    "quét mã QR. Người có CCCD gắn chip cũng có thể xuất trình CCCD thay cho thẻ.\n\n"
    "Cần hỗ trợ, hãy gọi tổng đài 1900 9068.",
)
NOW = (
    "Người tham gia BHYT có thể mở thẻ trên VssID hoặc xuất trình CCCD gắn chip thay cho thẻ giấy.",
    "Thẻ BHYT trên ứng dụng VssID có giá trị sử dụng như thẻ giấy khi khám chữa bệnh BHYT.\n\n"
    "Khi đến cơ sở khám chữa bệnh, người bệnh mở thẻ trên ứng dụng hoặc trên Cổng dịch vụ BHXH số để nhân viên "
    "quét mã QR. Mã QR trên màn hình của Cổng chỉ dùng được 10 phút kể từ khi tạo rồi tự đổi mã mới, nên ảnh "
    "chụp màn hình không dùng lại được; thẻ tải về để in có mã QR dùng được đến hết hạn thẻ. Người có CCCD gắn "
    "chip cũng có thể xuất trình CCCD thay cho thẻ.\n\n"
    "Cần hỗ trợ, hãy gọi tổng đài 1900 9068.",
)


def _replace(apps, old, new):
    NewsArticle = apps.get_model("lookup", "NewsArticle")
    for field, before, after in zip(("summary", "body"), old, new):
        NewsArticle.objects.filter(slug=SLUG, **{field: before}).update(**{field: after})


def forwards(apps, schema_editor):
    _replace(apps, SEEDED, NOW)


def backwards(apps, schema_editor):
    _replace(apps, NOW, SEEDED)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0014_faq_registration_documents")]
    operations = [migrations.RunPython(forwards, backwards)]
