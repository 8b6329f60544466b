"""The English catalogue compiles (msgfmt refuses, among others, an entry written twice, which a
merge of two branches can leave) and the compiled file the portal reads says what the catalogue
says (no .mo left behind after an edit of the .po)."""

import gettext
import subprocess
from pathlib import Path

from django.conf import settings

from tests.conftest import require_tool

CATALOGUE = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES"


def test_the_english_catalogue_compiles_and_its_compiled_file_is_up_to_date(tmp_path):
    msgfmt = require_tool("msgfmt", "gettext")
    compiled = tmp_path / "django.mo"
    result = subprocess.run([msgfmt, "--check", "-o", compiled, CATALOGUE / "django.po"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    with open(compiled, "rb") as fresh, open(CATALOGUE / "django.mo", "rb") as committed:
        fresh_catalogue = gettext.GNUTranslations(fresh)._catalog
        committed_catalogue = gettext.GNUTranslations(committed)._catalog
    assert len(fresh_catalogue) > 1000
    assert committed_catalogue == fresh_catalogue
