"""Packaging: the wheel carries knowledge/, dialogs/ and locales/ inside the package.

The repository keeps these folders at the top level; an installed package has no
checkout beside it, so the build copies them to bot/_data/ and compiles every
catalog (.po -> .mo). bot/paths.py looks there first. Metadata is in pyproject.toml.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from setuptools import setup
from setuptools.command.build_py import build_py

DATA = ("knowledge", "dialogs", "locales")
SKIP = shutil.ignore_patterns("*.mo", "__pycache__", "*.pyc", "*.mmd")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if self.editable_mode:  # an editable install reads the checkout itself
            return
        target = Path(self.build_lib) / "bot" / "_data"
        for name in DATA:
            shutil.rmtree(target / name, ignore_errors=True)
            shutil.copytree(name, target / name, ignore=SKIP)
        for po in sorted((target / "locales").glob("*/LC_MESSAGES/*.po")):
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            with po.with_suffix(".mo").open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildPyWithData})
