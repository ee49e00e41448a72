"""The built distribution works on its own: sdist -> wheel -> a fresh virtualenv.

Offline: the build runs without isolation (setuptools, wheel, babel and build are dev
extras), and the fresh environment borrows only the third-party dependencies from the
development environment through a .pth file, never this checkout.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest
import yaml

from tests.auxil.cases import mismatches
from tests.conftest import ROOT, public_cases

pytestmark = pytest.mark.packaging

SOURCES = ("bot", "knowledge", "dialogs", "locales", "pyproject.toml", "setup.py", "MANIFEST.in",
           "README.md")


def _copy_sources(dest: Path) -> None:
    """The files a clean clone has; no build output or compiled catalogs of this checkout."""
    skip = shutil.ignore_patterns("__pycache__", "*.pyc", "*.mo", "*.egg-info")
    for name in SOURCES:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, dest / name, ignore=skip)
        else:
            shutil.copy2(src, dest / name)


def _run(args: list[str], cwd: Path, env: dict[str, str] | None = None,
         stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, cwd=cwd, env=env, input=stdin, capture_output=True, text=True,
                          timeout=300)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """bin/ of a fresh virtualenv with the wheel (built from the sdist) installed."""
    tmp = tmp_path_factory.mktemp("wheel")
    src, dist, env_dir = tmp / "src", tmp / "dist", tmp / "venv"
    src.mkdir()
    _copy_sources(src)
    built = _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(dist), "."],
                 cwd=src)
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheels = list(dist.glob("beschermwijzer-*.whl"))
    assert len(wheels) == 1 and list(dist.glob("beschermwijzer-*.tar.gz"))
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    done = _run([sys.executable, "-m", "pip", "--python", str(python), "install", "--no-deps",
                 "--no-index", "--quiet", "--disable-pip-version-check", str(wheels[0])], cwd=tmp)
    assert done.returncode == 0, done.stderr
    # Third-party dependencies only: a path listed in a .pth file is not itself a site
    # directory, so the development environment's editable hook for this checkout stays off.
    site = Path(_run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                     cwd=tmp).stdout.strip())
    (site / "_dev_dependencies.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    return env_dir / "bin"


def _clean_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}


def test_the_installed_wheel_reads_its_own_data(installed: Path, tmp_path: Path) -> None:
    where = _run([str(installed / "python"), "-c",
                  "import bot.paths as p; print(p.INSTALLED, p.KNOWLEDGE_DIR, p.LOCALES_DIR)"],
                 cwd=tmp_path, env=_clean_env())
    flag, knowledge, locales = where.stdout.split()
    assert flag == "True"
    venv_dir = installed.parent.resolve()
    assert Path(knowledge).is_relative_to(venv_dir) and Path(locales).is_relative_to(venv_dir)
    assert not Path(knowledge).is_relative_to(ROOT)


def test_check_passes_in_the_fresh_virtualenv(installed: Path, tmp_path: Path) -> None:
    done = _run([str(installed / "beschermwijzer"), "check"], cwd=tmp_path, env=_clean_env())
    assert done.returncode == 0, done.stderr
    assert "knowledge OK" in done.stdout
    assert "languages: nl, en, tr, ar, pl, uk" in done.stdout  # compiled catalogs were shipped


def test_assess_runs_a_public_case_in_the_fresh_virtualenv(installed: Path, tmp_path: Path) -> None:
    case = public_cases()[0]
    done = _run([str(installed / "beschermwijzer"), "assess", "-"], cwd=tmp_path, env=_clean_env(),
                stdin=yaml.safe_dump(case["answers"]))
    assert done.returncode == 0, done.stderr
    assert mismatches(json.loads(done.stdout), case["expect"]) == []
