"""Operating files: the systemd unit verifies and is hardened; .env.example lists every setting."""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from bot.telegram.settings import TelegramSettings
from tests.conftest import ROOT

UNIT = ROOT / "deploy" / "beschermwijzer.service"
ENV_EXAMPLE = ROOT / ".env.example"
SETTING = re.compile(r"""["']((?:TELEGRAM|BESCHERMWIJZER)_[A-Z0-9_]+)["']""")


def unit_settings() -> dict[str, list[str]]:
    """Key -> values of the [Service] section (systemd allows a key more than once)."""
    found: dict[str, list[str]] = {}
    section = ""
    for raw in UNIT.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line.startswith("[") and line.endswith("]"):
            section = line
        elif line and not line.startswith("#") and section == "[Service]":
            key, _, value = line.partition("=")
            found.setdefault(key, []).append(value)
    return found


def test_unit_is_hardened_and_reads_the_token_from_a_credential() -> None:
    s = unit_settings()
    assert s["DynamicUser"] == ["yes"] and s["ProtectSystem"] == ["strict"]
    assert s["NoNewPrivileges"] == ["yes"] and s["PrivateTmp"] == ["yes"]
    assert re.fullmatch(r"\d+[KMG]", s["MemoryMax"][0])
    credential, _, source = s["LoadCredential"][0].partition(":")
    assert source.startswith("/etc/")
    assert f"TELEGRAM_BOT_TOKEN_FILE=%d/{credential}" in s["Environment"]
    assert not any("TELEGRAM_BOT_TOKEN=" in v for v in s["Environment"])  # never inline


@pytest.mark.skipif(shutil.which("systemd-analyze") is None,
                    reason="systemd-analyze is not installed (systemd package); the unit is unverified")
def test_unit_passes_systemd_analyze_verify(tmp_path: Path) -> None:
    # verify insists that ExecStart exists: point it at this checkout's entry point
    entry = shutil.which("beschermwijzer") or str(ROOT / ".venv" / "bin" / "beschermwijzer")
    text = UNIT.read_text(encoding="utf-8")
    assert "ExecStart=/opt/beschermwijzer/bin/beschermwijzer\n" in text
    unit = tmp_path / UNIT.name
    unit.write_text(text.replace("/opt/beschermwijzer/bin/beschermwijzer", entry), encoding="utf-8")
    done = subprocess.run(["systemd-analyze", "verify", "--man=no", str(unit)],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stderr.strip() == "", done.stderr  # unknown keys and bad values only warn


def example_settings() -> dict[str, str]:
    values = {}
    for line in ENV_EXAMPLE.read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"(#\s*)?([A-Z][A-Z0-9_]*)=(.*)", line.strip())
        if m:
            values[m.group(2)] = "" if m.group(1) else m.group(3)
    return values


def test_env_example_lists_every_setting_the_code_reads() -> None:
    read = {name for path in (ROOT / "bot").rglob("*.py")
            for name in SETTING.findall(path.read_text(encoding="utf-8"))}
    assert {"TELEGRAM_BOT_TOKEN", "BESCHERMWIJZER_LOG_LEVEL"} <= read  # the scan finds them
    listed = set(example_settings())
    assert read - listed == set()
    assert {"BESCHERMWIJZER_METRICS_PORT", "BESCHERMWIJZER_METRICS_LISTEN"} <= listed


def test_env_example_values_are_the_defaults() -> None:
    example = {k: v for k, v in example_settings().items() if v}
    from_example = TelegramSettings.from_env({**example, "TELEGRAM_BOT_TOKEN": "t"})
    default = TelegramSettings(token="t")
    ignore = {"webhook_secret"}  # random per start
    for f in dataclasses.fields(TelegramSettings):
        if f.name not in ignore:
            assert getattr(from_example, f.name) == getattr(default, f.name), f.name
    assert example["BESCHERMWIJZER_LOG_LEVEL"] == "INFO"
