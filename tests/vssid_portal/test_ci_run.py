"""What `.ci/run` installs: the libraries the production image installs for WeasyPrint."""

import re
import shlex

from tests.conftest import ROOT

CI_RUN = (ROOT / ".ci" / "run").read_text()


def _ci_packages() -> set[str]:
    return set(re.search(r"^PACKAGES=\(([^)]*)\)", CI_RUN, re.MULTILINE).group(1).split())


def _image_packages() -> set[str]:
    install = re.search(r"apt-get install ([^&]*)&&", (ROOT / "Dockerfile").read_text()).group(1)
    return {word for word in shlex.split(install.replace("\\\n", " ")) if not word.startswith("-")}


def test_ci_installs_every_package_the_image_installs_for_weasyprint():
    """Pango and HarfBuzz's subsetter came to CI only as Chromium's dependencies: a CI without Chromium,
    or a Chromium that stops needing them, would have had the PDFs fail instead of the browser tests skip."""
    assert {"libpango-1.0-0", "libpangoft2-1.0-0", "libharfbuzz-subset0"} <= _image_packages()
    assert _image_packages() <= _ci_packages()

