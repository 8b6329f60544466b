"""Seed the common VssID questions and the first news articles (their lead images are drawn
here, so the portal ships no binary files for them). Rows are matched by slug or question and
never overwritten: officers edit them in the admin afterwards."""

import datetime
import io

from django.db import migrations
from django.utils import timezone

from vssid_portal.text import fold

FAQ = [
    ("dang-ky-tai-khoan", "Đăng ký và tài khoản", [
        ("Chưa có mã số BHXH thì có đăng ký tài khoản được không?",
         "Tài khoản giao dịch điện tử gắn với mã số BHXH, nên trước hết hãy tìm mã số của mình: dùng mục "
         "Tra cứu › Mã số BHXH, hoặc xem thẻ BHYT (trên thẻ cấp từ tháng 4/2021, mã số BHXH chính là số thẻ).\n\n"
         "Nếu chưa từng được cấp mã số BHXH, hãy đến cơ quan BHXH nơi cư trú hoặc khai tờ khai TK1-TS khi tham gia "
         "BHXH, BHYT để được cấp mã số; sau đó đăng ký tài khoản trên Cổng như bình thường."),
        ("Một người có thể có mấy tài khoản?",
         "Mỗi người chỉ có một tài khoản, tên đăng nhập là mã số BHXH gồm 10 chữ số. Tài khoản chỉ đăng nhập trên "
         "một thiết bị tại một thời điểm: khi đăng nhập trên thiết bị thứ hai, Cổng gửi mã xác thực qua SMS và "
         "thiết bị trước đó bị đăng xuất."),
        ("Làm thế nào để đăng ký tài khoản?",
         "Chọn Đăng ký, khai mã số BHXH, thông tin giấy tờ tùy thân và số điện thoại di động, tải ảnh chân dung "
         "và hai mặt CCCD, chọn cơ quan BHXH tiếp nhận. Tài khoản được cấp sau khi cơ quan BHXH duyệt; mật khẩu "
         "tạm thời được gửi qua SMS đến số điện thoại đã đăng ký."),
        ("Con tôi chưa đủ 14 tuổi thì có tài khoản riêng không?",
         "Trẻ em dưới 14 tuổi không tự đăng ký tài khoản. Cha, mẹ hoặc người giám hộ đăng nhập tài khoản của mình, "
         "vào Quản lý cá nhân › Đăng ký cho con, khai mã số BHXH và số giấy khai sinh của con. Sau khi được duyệt, "
         "thông tin của con (thẻ BHYT, quá trình tham gia) hiển thị ngay trong tài khoản của cha, mẹ."),
        ("Đổi số điện thoại đã đăng ký như thế nào?",
         "Số điện thoại nhận mã xác thực là thông tin đã đăng ký với cơ quan BHXH. Để thay đổi, hãy nộp tờ khai "
         "điều chỉnh thông tin tại cơ quan BHXH hoặc qua dịch vụ công; khi được cập nhật, các mã xác thực sẽ gửi "
         "đến số mới."),
    ]),
    ("dang-nhap-mat-khau", "Đăng nhập và mật khẩu", [
        ("Tôi quên mật khẩu thì làm thế nào?",
         "Trên trang Đăng nhập, chọn Quên mật khẩu, nhập mã số BHXH. Mã xác thực gồm 6 chữ số được gửi qua SMS "
         "đến số điện thoại đã đăng ký, có hiệu lực 5 phút. Nhập mã rồi đặt mật khẩu mới."),
        ("Vì sao tôi không nhận được mã xác thực qua SMS?",
         "Hãy kiểm tra điện thoại còn sóng và không chặn tin nhắn từ tổng đài. Mỗi mã chỉ gửi lại được sau 60 giây "
         "và có giới hạn số lần trong một giờ. Nếu số điện thoại đã thay đổi, hãy liên hệ tổng đài 1900 9068 hoặc "
         "cơ quan BHXH để cập nhật."),
        ("Mật khẩu thế nào là an toàn?",
         "Mật khẩu cần ít nhất 8 ký tự (nên từ 12 ký tự), không trùng với mã số BHXH, ngày sinh hay mật khẩu phổ "
         "biến. Một cụm từ dài dễ nhớ an toàn hơn một mật khẩu ngắn nhiều ký tự đặc biệt. Không cung cấp mật khẩu "
         "hay mã xác thực cho bất kỳ ai, kể cả người xưng là cán bộ BHXH."),
    ]),
    ("the-bhyt", "Thẻ BHYT trên VssID", [
        ("Có thể dùng thẻ BHYT trên VssID thay cho thẻ giấy khi đi khám chữa bệnh không?",
         "Có. Hình ảnh thẻ BHYT trên ứng dụng VssID và trên Cổng có giá trị sử dụng như thẻ giấy khi khám chữa "
         "bệnh BHYT. Cơ sở khám chữa bệnh quét mã QR trên thẻ để kiểm tra; bạn cũng có thể xuất trình CCCD gắn "
         "chip thay cho thẻ."),
        ("Thẻ BHYT hết hạn hoặc sai thông tin thì làm sao?",
         "Thẻ được gia hạn khi bạn tiếp tục tham gia BHYT. Nếu thông tin trên thẻ sai, hãy nộp thủ tục điều chỉnh "
         "thông tin (608A) tại mục Dịch vụ công; thẻ hỏng hoặc mất thì dùng thủ tục cấp lại thẻ BHYT."),
    ]),
    ("tra-cuu-dich-vu", "Tra cứu và dịch vụ công", [
        ("Quá trình tham gia BHXH hiển thị chưa đủ thì phải làm gì?",
         "Dữ liệu được cập nhật theo kỳ đóng của đơn vị. Nếu sau kỳ đóng vẫn thiếu, hãy hỏi đơn vị sử dụng lao "
         "động đã đóng đủ chưa, rồi gửi phản ánh tại mục Hỗ trợ kèm ảnh giấy tờ liên quan để cơ quan BHXH kiểm tra."),
        ("Làm sao theo dõi hồ sơ dịch vụ công đã nộp?",
         "Vào Dịch vụ công › Hồ sơ của tôi để xem trạng thái từng hồ sơ, ngày hẹn trả kết quả và lịch sử xử lý. "
         "Mỗi khi trạng thái thay đổi, bạn nhận được thông báo và tin nhắn SMS."),
        ("Gửi phản ánh, kiến nghị ở đâu và bao lâu thì được trả lời?",
         "Dùng mục Hỗ trợ › Gửi phản ánh, kiến nghị, không cần đăng nhập. Bạn nhận mã phản ánh để tra cứu; câu trả "
         "lời của cơ quan BHXH được gửi qua SMS hoặc thư điện tử và hiển thị trên trang tra cứu phản ánh."),
    ]),
]

NEWS = [
    ("vssid-thay-the-the-bhyt-giay",
     "Dùng thẻ BHYT trên VssID khi đi khám chữa bệnh",
     "Người tham gia BHYT có thể xuất trình hình ảnh thẻ trên VssID hoặc CCCD gắn chip thay cho thẻ giấy.",
     "Hình ảnh thẻ BHYT trên ứng dụng VssID có giá trị sử dụng như thẻ giấy khi khám chữa bệnh BHYT.\n\n"
     "Khi đến cơ sở khám chữa bệnh, người bệnh mở thẻ trên ứng dụng hoặc trên Cổng dịch vụ BHXH số để nhân viên "
     "quét mã QR. Người có CCCD gắn chip cũng có thể xuất trình CCCD thay cho thẻ.\n\n"
     "Cần hỗ trợ, hãy gọi tổng đài 1900 9068.",
     "Minh họa thẻ BHYT hiển thị trên điện thoại", (20, 90, 160), 3),
    ("canh-giac-lua-dao-mao-danh-bhxh",
     "Cảnh giác với cuộc gọi mạo danh cơ quan BHXH",
     "Cơ quan BHXH không gọi điện yêu cầu cung cấp mật khẩu, mã xác thực hay chuyển tiền.",
     "Thời gian gần đây xuất hiện các cuộc gọi, tin nhắn mạo danh cơ quan BHXH, đề nghị người dân cung cấp mật "
     "khẩu, mã xác thực OTP hoặc cài đặt ứng dụng lạ.\n\n"
     "Cơ quan BHXH không bao giờ yêu cầu cung cấp mật khẩu hay mã xác thực qua điện thoại. Nếu nghi ngờ, hãy "
     "gọi tổng đài 1900 9068 hoặc gửi phản ánh tại mục Hỗ trợ.",
     "Biểu tượng cảnh báo lừa đảo qua điện thoại", (180, 60, 30), 2),
    ("dang-ky-tai-khoan-cho-con",
     "Cha mẹ đăng ký tài khoản cho con dưới 14 tuổi",
     "Thông tin thẻ BHYT của con hiển thị ngay trong tài khoản của cha, mẹ.",
     "Cha, mẹ hoặc người giám hộ có thể đăng ký để theo dõi thông tin BHYT của con dưới 14 tuổi.\n\n"
     "Đăng nhập, vào Quản lý cá nhân › Đăng ký cho con, khai mã số BHXH và số giấy khai sinh của con. Sau khi "
     "cơ quan BHXH duyệt, thẻ BHYT và quá trình tham gia của con hiển thị trong tài khoản của cha, mẹ.",
     "Minh họa cha mẹ cùng con xem thông tin trên điện thoại", (30, 130, 80), 1),
]


def _lead_image(color) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (960, 480), color)
    draw = ImageDraw.Draw(image)
    for step in range(0, 960, 48):
        draw.line([(step, 480), (step + 240, 0)], fill=tuple(min(255, c + 30) for c in color), width=6)
    draw.rounded_rectangle([330, 120, 630, 360], radius=24, fill=(255, 255, 255))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def seed(apps, schema_editor):
    from django.core.files.base import ContentFile

    from lookup.models_support import news_image_storage

    FaqTopic = apps.get_model("lookup", "FaqTopic")
    FaqQuestion = apps.get_model("lookup", "FaqQuestion")
    NewsArticle = apps.get_model("lookup", "NewsArticle")
    for position, (slug, title, questions) in enumerate(FAQ, start=1):
        topic, _ = FaqTopic.objects.get_or_create(slug=slug, defaults={"title": title, "position": position})
        for order, (question, answer) in enumerate(questions, start=1):
            FaqQuestion.objects.get_or_create(
                topic=topic, question=question,
                defaults={"answer": answer, "position": order, "search_key": fold(f"{question} {answer}")},
            )
    today = timezone.now().replace(hour=8, minute=0, second=0, microsecond=0)
    storage = news_image_storage()
    for slug, title, summary, body, alt, color, days_ago in NEWS:
        if NewsArticle.objects.filter(slug=slug).exists():
            continue
        image, name = "", f"lead/{slug}.png"
        try:
            # Drawn once per folder: every later migrate (each test database) reuses the file.
            image = name if storage.exists(name) else storage.save(name, ContentFile(_lead_image(color)))
        except OSError:  # a read-only folder: the article goes out without its picture
            alt = ""
        NewsArticle.objects.create(
            slug=slug, title=title, summary=summary, body=body, lead_image=image, lead_image_alt=alt if image else "",
            published_at=today - datetime.timedelta(days=days_ago), is_published=True,
        )


class Migration(migrations.Migration):
    dependencies = [("lookup", "0003_faq_news")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
