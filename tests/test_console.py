"""The console chat: piped sessions reach a result; bad input is re-asked, never echoed."""

from __future__ import annotations

import io
import re
import signal
import subprocess
import sys
from typing import Any

from bot.cli import main
from bot.console import typed_keys
from bot.core import Core
from bot.dialog.views import PROGRESS
from bot.i18n import Catalogs
from bot.ui import texts
from bot.ui.render import Renderer
from bot.ui.screen import Msg
from tests.auxil import region
from tests.auxil.autopilot import choose
from tests.conftest import ROOT, public_cases

CASES = {c["id"]: c for c in public_cases()}
RENDERER = Renderer(Catalogs())


def say(msg: Msg) -> str:
    """A message as the console prints it in Dutch."""
    return RENDERER.message(msg, "nl")


def script_for(core: Core, wanted: dict[str, Any], lang: str = "nl") -> list[str]:
    """The numbers a user types to answer like `wanted`, planned on a twin session."""
    s = core.sessions.open("planner", lang)
    screen = core.consultation.begin(s)
    numbers: list[str] = []
    while True:
        keyboard = core.renderer.render(screen, lang).keyboard
        action = choose(core.dialog.node(core.consultation.model(s).state), keyboard, wanted)
        if action is None:
            return numbers
        numbers.append(next(key for row in typed_keys(keyboard) for key, a, _ in row
                            if a == action))
        screen = core.consultation.act(s, action)


def console(*lines: str, argv: list[str] | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv or [], stdin=io.StringIO("".join(f"{line}\n" for line in lines)),
                stdout=out)
    return code, out.getvalue()


def test_piped_session_reaches_the_result(core: Core) -> None:
    code, out = console(*script_for(core, CASES["nadia_hamza"]["answers"]))
    assert code == 0
    assert "🧭 Uitkomst" in out
    assert "Intieme terreur" in out
    assert "112" in out and "0800-2000" in out
    assert "handvat, geen protocol" in out


def test_real_process_with_piped_stdin(core: Core) -> None:
    script = [*script_for(core, CASES["carmen_tom"]["answers"]), "7", "q"]
    proc = subprocess.run([sys.executable, "-m", "bot", "--lang", "nl"], cwd=ROOT,
                          input="\n".join(script) + "\n", capture_output=True, text=True,
                          timeout=60, env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **region.ENV},
                          check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Gezin in de stress" in proc.stdout
    assert "0800-2000" in proc.stdout
    assert "112" in proc.stdout


def test_invalid_choice_is_reasked_with_a_hint_and_never_echoed() -> None:
    secret = "Jansen Dorpsstraat 12"
    code, out = console(secret, "99", "0", "", "2")
    assert code == 0
    assert secret not in out
    hint = say(Msg.of(texts.USE_NUMBER, max=5))  # the first screen: five numbered choices
    assert out.count(hint) == 3
    assert say(Msg.of(PROGRESS, n=2, total=21)).split(" ")[0] in out


def test_eof_exits_zero() -> None:
    code, out = console()
    assert code == 0
    assert say(texts.GOODBYE) in out


def test_quit_word_exits_zero() -> None:
    code, out = console("2", "q", "2")
    assert code == 0
    assert "Vraag 3" not in out


def test_commands_in_the_console() -> None:
    code, out = console("/nood", "/help", "/over", "/onzin", "/wis", "/opnieuw")
    assert code == 0
    assert "0800-2000" in out and "112" in out
    assert "/nood" in out  # help lists the commands
    assert "geen protocol" in out  # about
    assert say(texts.UNKNOWN_COMMAND) in out
    assert say(texts.DELETED) in out


def test_start_screen_offers_acute_help() -> None:
    _, first = console()
    key = re.search(r"\[(\d+)\] 🆘", first)
    assert key is not None, "the first screen has an acute-help choice"
    code, out = console(key.group(1))
    assert code == 0
    assert "0800-2000" in out.replace(first, "")


def test_console_never_asks_for_personal_details(core: Core) -> None:
    _, out = console(*script_for(core, CASES["astrid_peter"]["answers"]))
    lowered = out.lower()
    for phrase in ("wat is de naam", "typ de naam", "geboortedatum", "wat is het adres"):
        assert phrase not in lowered
    assert "Typ geen namen" in out


def test_output_piped_into_a_reader_that_stops_ends_quietly() -> None:
    """`python -m bot --mode learn | head`: no traceback when the reader goes away."""
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--mode", "learn"], cwd=ROOT,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **region.ENV})
    assert proc.stdout is not None and proc.stdin is not None
    assert proc.stdout.read(200)  # the reader takes a little, then hangs up
    proc.stdout.close()
    try:
        _, err = proc.communicate(input=b"1\n" * 2000, timeout=60)
    except BrokenPipeError:  # the bot may already be gone when we write
        _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    assert proc.returncode == 0


def test_ctrl_c_in_the_console_ends_without_a_traceback() -> None:
    proc = subprocess.Popen([sys.executable, "-m", "bot"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT), **region.ENV})
    assert proc.stdout is not None
    shown = b""
    while not shown.endswith(b"> "):  # the first screen, then the prompt: it waits for input
        chunk = proc.stdout.read1(4096)  # type: ignore[attr-defined]  # a BufferedReader
        assert chunk, "the console ended before asking anything"
        shown += chunk
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    assert proc.returncode == 130


# --- resume codes ---------------------------------------------------------------------------
def carmen_code(core: Core) -> str:
    from bot.assess.code import Snapshot

    norm = {True: "yes", False: "no"}
    answers = {k: norm.get(v, v) for k, v in CASES["carmen_tom"]["answers"].items()}
    return core.codes.encode(Snapshot(answers, 7))


def test_resume_opens_the_console_at_the_restored_result(core: Core) -> None:
    code = carmen_code(core)
    status, out = console(argv=["--resume", code])
    assert status == 0
    assert "De antwoorden uit je code staan weer klaar" in out
    assert "🧭 Uitkomst" in out and "Gezin in de stress" in out
    back = next(line for line in out.splitlines() if "] ⬅️ Terug" in line)
    number = back.split("] ⬅️ Terug")[0].rsplit("[", 1)[1]
    status, out = console(number, argv=["--resume", code])
    question = core.renderer.message_id(core.dialog.node("safety_score").text or "", "nl")
    assert out.rindex(question) > out.index("🧭 Uitkomst")  # Back: the last question again


def test_a_code_pasted_in_the_console_restores_and_is_not_printed(core: Core) -> None:
    code = carmen_code(core)
    status, out = console("2", code.lower(), "1")  # one answer given: it asks, 1 = open it
    assert status == 0
    assert "Ja, code openen" in out and out.index("Ja, code openen") < out.index("🧭 Uitkomst")
    assert "🧭 Uitkomst" in out and "Gezin in de stress" in out
    assert code.lower() not in out


def test_resume_in_a_real_process(core: Core) -> None:
    code = carmen_code(core)
    proc = subprocess.run([sys.executable, "-m", "bot", "--resume", code], cwd=ROOT, input="q\n",
                          capture_output=True, text=True, timeout=60,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}, check=False)
    assert proc.returncode == 0, proc.stderr
    assert "Gezin in de stress" in proc.stdout and "0800-2000" in proc.stdout
