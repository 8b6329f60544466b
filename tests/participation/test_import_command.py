"""`manage.py import_periods`: a file it cannot read is a clear error naming the file or the line,
with a non-zero exit and nothing written, never a traceback."""

import pytest
from django.core.management import CommandError, call_command, load_command_class
from django.utils import translation

from participation.models import Period
from tests.notifications.test_notice_language import VIETNAMESE_LETTERS

from .test_import import GOOD, HEADER, employer_code

pytestmark = pytest.mark.usefixtures("reference_data")


def write(tmp_path, data: bytes, name: str = "periods"):
    path = tmp_path / f"{name}.csv"
    path.write_bytes(data)
    return str(path)


def good_text():
    code = employer_code()
    return HEADER + "".join(row.replace("{E}", code) + "\n" for row in GOOD)


def test_a_missing_file_is_a_command_error_naming_it(person, tmp_path):
    path = str(tmp_path / "khong-co.csv")
    with pytest.raises(CommandError, match="khong-co.csv"):
        call_command("import_periods", path)


def test_a_file_not_in_utf8_names_its_line_and_writes_nothing(person, tmp_path):
    data = good_text().encode("utf-8").replace("Kỹ sư".encode(), b"K\xfd s\xb0")  # as Windows-1258 writes it
    path = write(tmp_path, data)
    with pytest.raises(CommandError, match=r"Dòng 2: .*UTF-8"):
        call_command("import_periods", path)
    assert Period.objects.count() == 0


def test_a_byte_order_mark_is_read_as_utf8(person, tmp_path):
    path = write(tmp_path, b"\xef\xbb\xbf" + good_text().encode("utf-8"))
    call_command("import_periods", path)
    assert Period.objects.count() == 3


def test_a_field_the_csv_reader_refuses_is_a_command_error(person, tmp_path):
    code = employer_code()
    row = GOOD[0].replace("{E}", code).replace("Kỹ sư", "x" * 200_000)
    path = write(tmp_path, (HEADER + row + "\n").encode("utf-8"))
    with pytest.raises(CommandError, match="CSV"):
        call_command("import_periods", path)
    assert Period.objects.count() == 0



def test_rows_with_errors_end_with_a_non_zero_exit(person, tmp_path, capsys):
    code = employer_code()
    rows = [GOOD[0].replace("{E}", code), GOOD[1].replace("{E}", code).replace("01/2015", "2015-01")]
    path = write(tmp_path, (HEADER + "\n".join(rows) + "\n").encode("utf-8"))
    with pytest.raises(CommandError, match="1 dòng lỗi"):
        call_command("import_periods", path)
    assert "Dòng 3: cột tu_thang" in capsys.readouterr().err
    assert Period.objects.count() == 1  # the good row is imported, as in the admin


def test_missing_columns_end_with_a_non_zero_exit(person, tmp_path):
    path = write(tmp_path, b"ma_so_bhxh,loai\n7901234567,bhxh_bb\n")
    with pytest.raises(CommandError):
        call_command("import_periods", path)
    assert Period.objects.count() == 0


def help_text() -> str:
    return " ".join(load_command_class("participation", "import_periods").create_parser(
        "manage.py", "import_periods").format_help().split())


def test_the_help_names_every_column_and_which_are_optional():
    from participation.services.imports import COLUMNS, REQUIRED

    text = help_text()
    assert "imports.py" not in text
    for column in COLUMNS:
        assert column in text
    assert set(COLUMNS) - REQUIRED == {"ma_don_vi", "chuc_vu", "so_thang_no", "ma_kcb"}
    for said in ("ma_don_vi (bắt buộc khi nguoi_dong là employer)", "chuc_vu (không bắt buộc)",
                 "so_thang_no (không bắt buộc)", "ma_kcb (chỉ dòng bhyt, không bắt buộc)"):
        assert said in text
    assert "đường dẫn tệp CSV" in text


def test_errors_beyond_those_listed_are_counted_on_a_line_of_their_own(person, tmp_path, capsys):
    rows = [f"7901234567,bhxh_bb,{month:02d}-2015,12/2018,self,,,1,25,1,0,79,07901," for month in range(1, 13)] * 6
    path = write(tmp_path, (HEADER + "\n".join(rows) + "\n").encode("utf-8"))
    with pytest.raises(CommandError, match="72 dòng lỗi"):
        call_command("import_periods", path)
    err = capsys.readouterr().err.splitlines()
    assert len([line for line in err if line.startswith("Dòng ")]) == 50
    assert err[-1] == "… và 22 lỗi khác không liệt kê ở đây."


def test_in_english_the_command_says_in_english_what_it_says_of_its_own(person, tmp_path, capsys, settings):
    """Its rows' errors are in LANGUAGE_CODE's language (participation/services/imports.py), and so are its own
    words: the help, the refusal of a file or an agency, the line before each error, the count of those
    left out, the summary and the closing error, run for real or as a dry run."""
    from .test_import_language import without_data

    settings.LANGUAGE_CODE = "en"
    translation.deactivate()  # as manage.py runs it: nothing active, LANGUAGE_CODE's language
    code = employer_code()
    good = GOOD[0].replace("{E}", code)
    wrong = [f"7901234567,bhxh_bb,{month:02d}-2015,12/2018,self,,,1,25,1,0,79,07901," for month in range(1, 13)] * 6
    not_utf8 = good_text().encode("utf-8").replace("Kỹ sư".encode(), b"K\xfd s\xb0")
    too_long = (HEADER + good.replace("Kỹ sư", "x" * 200_000) + "\n").encode("utf-8")
    with_errors = write(tmp_path, (HEADER + "\n".join([good, *wrong]) + "\n").encode("utf-8"), "with-errors")
    said = [help_text()]
    for arguments in ([str(tmp_path / "khong-co.csv")], [write(tmp_path, not_utf8, "not-utf8")],
                      [write(tmp_path, too_long, "too-long")],
                      [with_errors, "--agency", "99999"], [with_errors, "--dry-run"], [with_errors]):
        with pytest.raises(CommandError) as refused:
            call_command("import_periods", *arguments)
        said.append(str(refused.value))
    out, err = capsys.readouterr()
    said += out.splitlines() + err.splitlines()
    assert len(err.splitlines()) == 2 * 51 and len(out.splitlines()) == 2  # the errors listed and counted, twice
    assert Period.objects.count() == 1  # the run for real imported the good row
    assert [text for text in said if VIETNAMESE_LETTERS.search(without_data(text))] == []
