"""Where the data folders are, in a checkout and in an installed wheel.

The repository keeps knowledge/, dialogs/ and locales/ at the top level (the
documented layout). A built wheel carries copies inside the package, in
bot/_data/ (setup.py's build step puts them there and compiles the catalogs),
because an installed package has no checkout beside it.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
INSTALLED_DATA = _PACKAGE / "_data"  # the name setup.py writes to
CHECKOUT = _PACKAGE.parent


# An installed wheel: its catalogs were compiled by the build, so no .mo can be stale there.
INSTALLED = INSTALLED_DATA.is_dir()


def data_dir(name: str) -> Path:
    """The folder `name` (knowledge, dialogs, locales): the wheel's copy when installed."""
    return (INSTALLED_DATA if INSTALLED else CHECKOUT) / name


KNOWLEDGE_DIR = data_dir("knowledge")
DIALOGS_DIR = data_dir("dialogs")
LOCALES_DIR = data_dir("locales")
