"""The seeded FAQ answer on codes that do not arrive (0004) said there is a limit on how many codes
are sent in an hour but not what it is: 5 codes an hour to one phone (ACCOUNT_RATE_LIMITS
["otp_send"]), so a citizen waiting for a code knows when asking again is of no use. Only that
sentence changes, and only while it is still the seeded one word for word, so that a change to the
answer's other sentences (the one on a changed phone number) is kept, whichever comes first; the
reverse does the same the other way round."""

from django.db import migrations

from vssid_portal.text import fold

QUESTION = "Vì sao tôi không nhận được mã xác thực qua SMS?"
SEEDED = "Mỗi mã chỉ gửi lại được sau 60 giây và có giới hạn số lần trong một giờ."
NOW = "Mỗi mã chỉ gửi lại được sau 60 giây, và mỗi số điện thoại nhận tối đa 5 mã trong một giờ."


def _replace(apps, old, new):
    FaqQuestion = apps.get_model("lookup", "FaqQuestion")
    for item in FaqQuestion.objects.filter(question=QUESTION, answer__contains=old):
        item.answer = item.answer.replace(old, new)
        item.search_key = fold(f"{QUESTION} {item.answer}")
        item.save(update_fields=["answer", "search_key", "updated_at"])


def forwards(apps, schema_editor):
    _replace(apps, SEEDED, NOW)


def backwards(apps, schema_editor):
    _replace(apps, NOW, SEEDED)


class Migration(migrations.Migration):
    dependencies = [("lookup", "0015_news_card_qr_lifetime")]
    operations = [migrations.RunPython(forwards, backwards)]
