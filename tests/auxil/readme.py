"""Paste what the code generates into README.md between its markers (`make readme`):
the state diagrams, the table of button actions, and one consultation on Telegram.

    <!-- generated:NAME -->
    ...
    <!-- /generated:NAME -->
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from pathlib import Path

from tests.auxil.transcript import transcript

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def blocks() -> dict[str, str]:
    from bot.ui.actions import markdown_table

    out = {f"diagram:{p.stem}": f"```mermaid\n{p.read_text()}```\n"
           for p in sorted((ROOT / "dialogs").glob("*.mmd"))}
    out["actions"] = markdown_table()
    out["transcript"] = transcript()
    return out


def _between(body: str) -> Callable[[re.Match[str]], str]:
    return lambda m: m.group(1) + body + m.group(2)


def paste(text: str, generated: dict[str, str]) -> str:
    for name, body in generated.items():
        pattern = re.compile(rf"(<!-- generated:{re.escape(name)} -->\n).*?(<!-- /generated:"
                             rf"{re.escape(name)} -->)", re.S)
        text, count = pattern.subn(_between(body), text)
        if count != 1:
            raise SystemExit(f"README.md: no single marker for {name!r}")
    return text


if __name__ == "__main__":
    README.write_text(paste(README.read_text(), blocks()))
    sys.exit(0)
