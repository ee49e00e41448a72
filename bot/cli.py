"""Command line: `python -m bot` runs the bot; subcommands run one-shot tools.

    python -m bot                      console chat (Telegram when TELEGRAM_BOT_TOKEN is set)
    python -m bot --lang tr --mode learn
    python -m bot assess FILE|-        answers (YAML/JSON) in, assessment JSON out
    python -m bot assess --code CODE   the same for the answers a resume code holds
    python -m bot code FILE|-          answers in, resume code out (at most 40 letters/digits)
    python -m bot --resume CODE        console chat at the result of a resume code
    python -m bot check                validate knowledge/ (the national content and every
                                       region pack) and dialogs/, then exit; warns for
                                       contacts checked over 6 months ago, fails over 12

BESCHERMWIJZER_REGION selects the region pack (knowledge/regions/<region>/) whose
contacts and regional offers are shown; unset: national content only.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import json
import logging
import os
import sys
from pathlib import Path
from typing import Any, TextIO

import yaml

from bot import __version__
from bot.assess import AnswerError, assess, parse_answers
from bot.assess.code import Codebook, CodeError, Decoded, Snapshot
from bot.kb import KnowledgeError, freshness, load_knowledge
from bot.kb.errors import Problem

EXIT_OK, EXIT_CONTENT, EXIT_USAGE = 0, 1, 2
EXIT_INTERRUPTED = 130  # the shell's convention for "ended by SIGINT"
REGION_SETTING = "BESCHERMWIJZER_REGION"


def selected_region(env: dict[str, str] | None = None) -> str | None:
    """The region pack to load, read once at start-up; None: national content only."""
    value = (os.environ if env is None else env).get(REGION_SETTING, "").strip()
    return value or None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m bot", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"beschermwijzer {__version__}")
    parser.add_argument("--lang", default=None, help="interface language (nl, en, tr, ar, pl, uk)")
    parser.add_argument("--mode", default="consult",
                        choices=["consult", "lookup", "learn", "meldcode", "followup"],
                        help="console mode (default: consult; the meldcode step opens from its result)")
    parser.add_argument("--console", action="store_true",
                        help="run the console chat even when TELEGRAM_BOT_TOKEN is set")
    parser.add_argument("--resume", metavar="CODE", default=None,
                        help="open the console chat at the result of a resume code")
    sub = parser.add_subparsers(dest="command")
    p_assess = sub.add_parser("assess", help="assess answers from a YAML/JSON file or - (stdin)")
    p_assess.add_argument("file", nargs="?")
    p_assess.add_argument("--code", default=None, help="assess the answers of a resume code")
    p_code = sub.add_parser("code", help="print the resume code for an answers file or - (stdin)")
    p_code.add_argument("file")
    p_lookup = sub.add_parser("lookup", help="look a term up and print its card")
    p_lookup.add_argument("query", nargs="+")
    p_lookup.add_argument("--simple", action="store_true", help="simple language (B1)")
    p_lookup.add_argument("--lang", dest="lookup_lang", default=None)
    p_check = sub.add_parser("check", help="validate the knowledge base and dialogs")
    p_check.add_argument("--as-of", type=_iso_date, default=None, metavar="YYYY-MM-DD",
                         help="judge the age of contacts on this date (default: today)")
    sub.add_parser("diagram", help="print a mode's states as a Mermaid diagram (--mode)")
    sub.add_parser("actions", help="print the table of button actions (README)")
    return parser


def main(argv: list[str] | None = None, stdin: TextIO | None = None,
         stdout: TextIO | None = None) -> int:
    try:
        return _main(argv, stdin, stdout)
    except KeyboardInterrupt:  # Ctrl-C in the console chat: leave without a traceback
        print(file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader of our output went away (`... | head`). Point stdout at /dev/null so
        # that the interpreter's final flush does not raise a second time.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


def _main(argv: list[str] | None, stdin: TextIO | None, stdout: TextIO | None) -> int:
    stdin = stdin or sys.stdin
    stdout = stdout or sys.stdout
    args = build_parser().parse_args(argv)
    region = selected_region()
    if args.command == "check":
        from bot.check import check_all

        return check_all(region, args.as_of, stdout)
    try:
        kb = load_knowledge(region=region)
    except KnowledgeError as exc:
        return _refuse("the knowledge base has errors", exc.problems)
    if args.command == "actions":
        from bot.ui.actions import markdown_table

        stdout.write(markdown_table())
        return EXIT_OK
    if args.command in ("assess", "code"):
        try:
            codes = Codebook.from_kb(kb)
        except KnowledgeError as exc:
            return _refuse("knowledge/codes.yaml has errors", exc.problems)
        if args.command == "code":
            return _code(args.file, kb, codes, stdin, stdout)
        return _assess(args.file, args.code, kb, codes, stdin, stdout)
    if args.command == "lookup":
        return _lookup(" ".join(args.query), args.lookup_lang or args.lang, args.simple, kb, stdout)
    if args.command == "diagram":
        from bot.core import build_core

        try:
            core = build_core(kb)
        except KnowledgeError as exc:
            return _refuse("the dialogs or the content have errors", exc.problems)
        stdout.write(core.engines[args.mode].diagram())
        return EXIT_OK
    from bot.app import run  # late import: the one-shot tools need no dialog or Telegram

    if args.resume is not None:  # refuse a wrong code here, before the chat opens
        try:
            Codebook.from_kb(kb).decode(args.resume)
        except CodeError as exc:
            print(f"error: --resume: {exc}", file=sys.stderr)
            return EXIT_USAGE
    if kb.region is None:  # said before logging is set up, so it is a warning (stderr)
        from bot.check import describe_region

        logging.getLogger("bot.contacts").warning("%s", describe_region(kb))
    freshness.log_stale_contacts(kb)
    return run(kb, lang=args.lang, mode=args.mode, force_console=args.console or bool(args.resume),
               stdin=stdin, stdout=stdout, resume=args.resume or "")


def _refuse(what: str, problems: list[Problem]) -> int:
    print(f"Beschermwijzer cannot start: {what}:", file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return EXIT_CONTENT


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a date (YYYY-MM-DD): {text!r}") from exc


def _read(name: str, kb: Any, stdin: TextIO) -> Snapshot | int:
    """The answers of an answers file (and its `followup:` section), or an exit status."""
    from bot.followup.answers import parse_followup, split_followup

    try:
        text = stdin.read() if name == "-" else Path(name).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"error: cannot read {name}: {exc}", file=sys.stderr)
        return EXIT_USAGE
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" line {mark.line + 1}" if mark is not None else ""
        print(f"error: {name}{where}: not valid YAML or JSON: {getattr(exc, 'problem', exc)}",
              file=sys.stderr)
        return EXIT_USAGE
    screening, follow = split_followup(raw)
    try:
        answers = parse_answers(screening, kb.indicators)
        followup = parse_followup(follow, kb)
    except AnswerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    return Snapshot(dict(answers.values), answers.safety_score, followup)


def _assess(name: str | None, code: str | None, kb: Any, codes: Codebook, stdin: TextIO,
            stdout: TextIO) -> int:
    if (name is None) == (code is None):
        print("error: assess needs an answers file (or -) or --code CODE, not both",
              file=sys.stderr)
        return EXIT_USAGE
    if code is not None:
        try:
            decoded = codes.decode(code)
        except CodeError as exc:
            print(f"error: --code: {exc}", file=sys.stderr)
            return EXIT_USAGE
        _note_unrestored(decoded)
        snap: Snapshot | int = decoded.snapshot
    else:
        snap = _read(name or "-", kb, stdin)
    if isinstance(snap, int):
        return snap
    json.dump(assessment_json(snap, kb), stdout, ensure_ascii=False, indent=2)
    stdout.write("\n")
    return EXIT_OK


def assessment_json(snap: Snapshot, kb: Any) -> dict[str, Any]:
    """What `assess` prints: the assessment, and the follow-up where there are its answers."""
    from bot.followup.rules import apply_to_assessment, evaluate

    answers = snap.assessable()
    a = assess(answers, kb)
    out = a.to_json()
    if snap.followup:
        out = apply_to_assessment(out, evaluate(snap.followup, answers, a, kb), answers, kb)
    return out


def _code(name: str, kb: Any, codes: Codebook, stdin: TextIO, stdout: TextIO) -> int:
    snap = _read(name, kb, stdin)
    if isinstance(snap, int):
        return snap
    stdout.write(codes.encode(snap) + "\n")
    return EXIT_OK


def _note_unrestored(decoded: Decoded) -> None:
    if decoded.not_restored:
        print(f"note: this code was made with version {decoded.version} of the questions; "
              f"these did not exist then and are open (unknown): "
              f"{', '.join(decoded.not_restored)}", file=sys.stderr)
    if decoded.retired:
        print(f"note: answers to questions that no longer exist were left out: "
              f"{', '.join(decoded.retired)}", file=sys.stderr)


def _lookup(query: str, lang: str | None, simple: bool, kb: Any, stdout: TextIO) -> int:
    from bot.core import build_core
    from bot.lookup.engine import PERSONAL_DATA
    from bot.ui import texts
    from bot.ui.screen import N_, Msg, Screen

    core = build_core(kb)
    lang = lang if lang in core.catalogs.available else "nl"
    render = core.renderer
    lines, others, flagged = core.lookup.best_card(query, simple)
    if flagged:
        stdout.write(render.message(PERSONAL_DATA, lang) + "\n\n")
    if not lines:
        stdout.write(render.message(Msg(N_("Daar vond ik niets over. Probeer een ander woord.")),
                                    lang) + "\n")
        return EXIT_CONTENT
    stdout.write(render.render(Screen("lookup", tuple(lines)), lang).text + "\n")
    if others:
        stdout.write("\n" + render.message(Msg(N_("Zie ook:")), lang) + "\n")
        for entry in others:
            stdout.write(f"  - {render.message(Msg(entry.title), lang)}\n")
    stdout.write("\n" + render.message(texts.ACUTE_LINE, lang) + "\n")
    return EXIT_OK
