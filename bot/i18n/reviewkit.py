"""The review kit: one language's catalog out to a native reviewer and their corrections back.

    python -m bot.i18n.reviewkit export tr [--out build/review]   -> tr.html, tr.csv
    python -m bot.i18n.reviewkit import build/review/tr.csv [--review NAME]

The CSV (UTF-8 with a byte-order mark, so spreadsheet programs open it right) has one
row per message: msgid (Dutch), msgstr (the translation), where (the catalog's location
comments), critical (yes/no, from locales/critical.yaml) and correction (empty). The
reviewer writes a new translation into `correction`, or `=` to approve the translation
as it stands; empty rows count as not reviewed. Import writes each correction into the
.po as the new msgstr and marks every approved or corrected entry (bot/i18n/review.py).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import fnmatch
import html
import io
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog, Message
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from bot.i18n.catalogs import LANGUAGE_NAMES, LANGUAGES
from bot.i18n.review import MARK, catalog_share, fingerprint, ids, po_path, review_mark, strings
from bot.i18n.terms import Term, load_terms
from bot.paths import LOCALES_DIR

HEADER = ("msgid", "msgstr", "where", "critical", "correction")
APPROVE = "="  # in the correction column: the translation is right as it stands
CRITICAL_RULES = "critical.yaml"
_PLURAL_WHERE = re.compile(r"\bplural form (\d+)\b")
# What a translation must carry over unchanged: placeholders, URLs, phone numbers.
_PROTECTED = re.compile(r"\{[a-z_]*\}|https?://[^\s)]+[^\s).,;:]|\b\d{3,4}-\d{3,7}\b|\b11[23]\b")


class ReviewError(ValueError):
    """A review file that cannot be read at all (wrong encoding, wrong columns)."""


# --- which messages are safety-critical ------------------------------------------------
@dataclass(frozen=True)
class CriticalRules:
    locations: tuple[str, ...] = ()
    ids: tuple[str, ...] = ()
    mentions: tuple[re.Pattern[str], ...] = ()

    @classmethod
    def load(cls, directory: Path = LOCALES_DIR) -> CriticalRules:
        data = yaml.safe_load((directory / CRITICAL_RULES).read_text(encoding="utf-8")) or {}
        return cls(tuple(data.get("locations", ())), tuple(data.get("ids", ())),
                   tuple(re.compile(p, re.IGNORECASE) for p in data.get("mentions", ())))

    def match(self, message: Message) -> bool:
        files = [name for name, _ in message.locations]
        return (any(fnmatch.fnmatch(f, p) for f in files for p in self.locations)
                or any(fnmatch.fnmatch(c, p) for c in message.auto_comments for p in self.ids)
                or any(p.search(text) for text in ids(message) for p in self.mentions))


# --- export ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    msgid: str
    msgstr: str
    where: str
    critical: bool
    form: int | None = None  # plural form index; None for an ordinary message

    def as_csv(self) -> tuple[str, str, str, str, str]:
        return self.msgid, self.msgstr, self.where, "yes" if self.critical else "no", ""


def where_of(message: Message) -> str:
    places = " ".join(f"{name}:{line}" if line else name for name, line in message.locations)
    return " | ".join(part for part in (places, " ".join(message.auto_comments)) if part)


def rows(catalog: Catalog, rules: CriticalRules) -> list[Row]:
    """One row per message (per plural form), safety-critical first, else catalog order."""
    found: list[Row] = []
    for message in catalog:
        if not message.id:
            continue
        critical, where = rules.match(message), where_of(message)
        sources = ids(message)
        if message.pluralizable:
            for form, text in enumerate(strings(message)):
                source = sources[0] if form == 0 else sources[1]
                found.append(Row(source, text, f"{where} | plural form {form}", critical, form))
        else:
            found.append(Row(sources[0], strings(message)[0], where, critical))
    return sorted(found, key=lambda r: not r.critical)  # stable: catalog order within each


def load_catalog(path: Path, lang: str) -> Catalog:
    with path.open("rb") as fh:
        return read_po(fh, locale=lang)


def export(lang: str, out_dir: Path, directory: Path = LOCALES_DIR) -> tuple[Path, Path]:
    if lang not in LANGUAGES or lang == "nl":
        raise ReviewError(f"no translated catalog for {lang!r}; choose one of "
                          f"{', '.join(lg for lg in LANGUAGES if lg != 'nl')}")
    catalog = load_catalog(po_path(lang, directory), lang)
    found = rows(catalog, CriticalRules.load(directory))
    out_dir.mkdir(parents=True, exist_ok=True)
    csv_path, html_path = out_dir / f"{lang}.csv", out_dir / f"{lang}.html"
    with csv_path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(r.as_csv() for r in found)
    terms = load_terms(directory / "terms.csv")
    html_path.write_text(render_html(lang, found, terms, catalog), encoding="utf-8")
    return csv_path, html_path


_CSS = """
body{font:15px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;padding:0 1em;color:#111}
h1{font-size:1.5em}h2{margin-top:2em;border-bottom:2px solid #333}
table{border-collapse:collapse;width:100%}td,th{border:1px solid #bbb;padding:.4em;vertical-align:top}
th{background:#eee;text-align:left}td.n{color:#666;width:3em}td.w{font-size:.8em;color:#555;width:14em}
td.t{white-space:pre-wrap}tr.c td.n{background:#fdd;font-weight:bold}.note{background:#ffd;padding:.8em}
"""


def render_html(lang: str, found: list[Row], terms: list[Term], catalog: Catalog) -> str:
    """A page that opens offline: no scripts, no external files."""
    e = html.escape
    rtl = ' dir="rtl"' if lang == "ar" else ""
    share = catalog_share(catalog)
    critical = sum(r.critical for r in found)
    out = [f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">',
           f"<title>Beschermwijzer: review {e(LANGUAGE_NAMES[lang])}</title>",
           f"<style>{_CSS}</style></head><body>",
           f"<h1>Beschermwijzer: translation review, {e(LANGUAGE_NAMES[lang])} ({lang})</h1>",
           '<div class="note"><p>Dutch is the source. The translation was written with machine '
           "assistance; you are asked to check it as a native-speaking professional in "
           "domestic-violence work. Read the safety-critical messages first.</p>"
           f"<p>Return your corrections in <b>{lang}.csv</b> (same rows, same numbers as here, "
           "counting from the first row under the header): write the corrected translation in "
           "the column <b>correction</b>, or <b>=</b> if the translation is right as it stands. "
           "Leave rows you did not check empty. Keep placeholders such as {date}, phone numbers "
           "and web addresses exactly as they are. Save as CSV UTF-8.</p>"
           f"<p>{len(found)} messages, {critical} safety-critical. Reviewed so far: "
           f"{share.reviewed} of {share.total}.</p></div>"]
    if terms:
        out += ["<h2>Approved terms</h2><table><tr><th>Dutch</th><th>meaning</th>"
                f"<th>{e(LANGUAGE_NAMES[lang])}</th></tr>"]
        out += [f"<tr><td>{e(t.nl)}</td><td>{e(t.definition)}</td>"
                f"<td{rtl}>{e(' / '.join(t.renderings[lang]))}</td></tr>" for t in terms]
        out.append("</table>")
    for title, wanted in (("Safety-critical messages", True), ("All other messages", False)):
        out += [f"<h2>{title}</h2><table><tr><th>#</th><th>Dutch</th>"
                f"<th>{e(LANGUAGE_NAMES[lang])}</th><th>where</th></tr>"]
        for number, row in enumerate(found, start=1):
            if row.critical == wanted:
                out.append(f'<tr class="{"c" if row.critical else ""}"><td class="n">{number}</td>'
                           f'<td class="t" lang="nl">{e(row.msgid)}</td>'
                           f'<td class="t" lang="{lang}"{rtl}>{e(row.msgstr)}</td>'
                           f'<td class="w">{e(row.where)}</td></tr>')
        out.append("</table>")
    out.append("</body></html>\n")
    return "\n".join(out)


# --- import ---------------------------------------------------------------------------
@dataclass
class ImportReport:
    lang: str
    review: str
    corrected: int = 0
    approved: int = 0
    problems: list[str] = field(default_factory=list)


def protected(text: str) -> list[str]:
    return sorted(_PROTECTED.findall(text))


def read_review(path: Path) -> Iterator[tuple[int, dict[str, str]]]:
    """(line number, row) for every row; tolerates the semicolons some spreadsheets save."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ReviewError(f"{path} is not UTF-8: save it as 'CSV UTF-8' and import again") from exc
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    missing = {"msgid", "msgstr", "correction"} - set(reader.fieldnames or ())
    if missing:
        raise ReviewError(f"{path}: columns missing: {', '.join(sorted(missing))} "
                          f"(expected {','.join(HEADER)})")
    for row in reader:
        yield reader.line_num, {k: (v or "") for k, v in row.items() if k}


def language_of(path: Path) -> str:
    lang = re.split(r"[-_. ]", path.name, maxsplit=1)[0].lower()
    if lang not in LANGUAGES or lang == "nl":
        raise ReviewError(f"cannot tell the language from {path.name!r}: name the file "
                          "<lang>.csv (tr.csv) or pass --lang")
    return lang


def mark(message: Message, review: str, verdict: str) -> None:
    message.user_comments = [c for c in message.user_comments if not c.startswith(MARK)]
    message.user_comments.append(f"{MARK} {review}, {verdict} {fingerprint(message)}")


def apply_row(catalog: Catalog, line: int, row: dict[str, str], report: ImportReport) -> None:
    correction = row["correction"].replace("\r\n", "\n").strip()
    if not correction:
        return
    form_match = _PLURAL_WHERE.search(row.get("where", ""))
    form = int(form_match.group(1)) if form_match else None
    message = _find(catalog, row["msgid"], form)
    if message is None:
        report.problems.append(f"line {line}: this Dutch message is no longer in the catalog")
        return
    current = strings(message)
    index = form or 0
    if correction == APPROVE:
        if current[index] != row["msgstr"]:
            report.problems.append(f"line {line}: the translation changed after the export; "
                                   "review it again in a new kit")
            return
        mark(message, report.review, "approved")
        report.approved += 1
        return
    source = row["msgid"]
    if form is None and protected(correction) != protected(source):
        report.problems.append(f"line {line}: the correction must keep {protected(source)} "
                               f"exactly; it has {protected(correction)}")
        return
    if isinstance(message.string, tuple):
        forms = list(message.string)
        forms[index] = correction
        message.string = tuple(forms)
    else:
        message.string = correction
    message.flags.discard("fuzzy")
    mark(message, report.review, "corrected")
    report.corrected += 1


def _find(catalog: Catalog, msgid: str, form: int | None) -> Message | None:
    if form is None:
        message = catalog.get(msgid)
        return message if message is not None and isinstance(message.id, str) else None
    for message in catalog:
        if isinstance(message.id, tuple) and msgid in message.id:
            return message
    return None


def status_comment(header: str, catalog: Catalog) -> str:
    """The header's REVIEW STATUS lines, rewritten from the marks in the catalog."""
    share = catalog_share(catalog)
    reviews = sorted({m.group("review") for msg in catalog if msg.id
                      for m in [review_mark(msg)] if m is not None})
    by = (f"by native-speaking professionals in domestic-violence work "
          f"(reviews: {', '.join(reviews)})")
    if share.reviewed >= share.total:
        status = f"# REVIEW STATUS: all {share.total} messages reviewed {by}."
    else:
        status = (f"# REVIEW STATUS: {share.reviewed} of {share.total} messages "
                  f"({100 * share.reviewed // share.total}%) reviewed {by}; the rest is "
                  "machine-assisted and NOT YET REVIEWED.")
    kept = [ln for ln in header.splitlines()
            if not ln.startswith(("# REVIEW STATUS:", "# Until it is", "# /over tells"))]
    return "\n".join([*kept, status, "# /over tells every user of this language which share "
                      "has been reviewed."])


def import_review(path: Path, review: str | None = None, lang: str | None = None,
                  directory: Path = LOCALES_DIR, today: dt.date | None = None) -> ImportReport:
    lang = lang or language_of(path)
    name = review or f"{lang}-review-{(today or dt.date.today()).isoformat()}"
    if "\n" in name or not name.strip():
        raise ReviewError("the review name must be one line")
    po = po_path(lang, directory)
    catalog = load_catalog(po, lang)
    report = ImportReport(lang, name)
    for line, row in read_review(path):
        apply_row(catalog, line, row, report)
    if report.corrected or report.approved:
        catalog.header_comment = status_comment(catalog.header_comment, catalog)
        catalog.revision_date = dt.datetime.now(dt.UTC)
        _write(catalog, po)
    return report


def _write(catalog: Catalog, po: Path) -> None:
    """The .po as `pybabel update --no-wrap` writes it, then its .mo (proves it compiles)."""
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    po.write_bytes(buffer.getvalue())
    po.with_suffix(".mo").write_bytes(compiled.getvalue())


# --- command line ---------------------------------------------------------------------
def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot.i18n.reviewkit", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="command", required=True)
    p_export = sub.add_parser("export", help="write <lang>.html and <lang>.csv for a reviewer")
    p_export.add_argument("lang")
    p_export.add_argument("--out", type=Path, default=Path("build/review"))
    p_import = sub.add_parser("import", help="bring a reviewed <lang>.csv back into the catalog")
    p_import.add_argument("file", type=Path)
    p_import.add_argument("--review", default=None, help="name of the review (default: "
                          "<lang>-review-<date>)")
    p_import.add_argument("--lang", default=None)
    p_import.add_argument("--locales", type=Path, default=LOCALES_DIR, help=argparse.SUPPRESS)
    p_export.add_argument("--locales", type=Path, default=LOCALES_DIR, help=argparse.SUPPRESS)
    args = parser.parse_args(list(argv) if argv is not None else None)
    try:
        if args.command == "export":
            csv_path, html_path = export(args.lang, args.out, args.locales)
            print(f"wrote {html_path} and {csv_path}")
            return 0
        report = import_review(args.file, args.review, args.lang, args.locales)
    except (ReviewError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    share = catalog_share(load_catalog(po_path(report.lang, args.locales), report.lang))
    print(f"{report.lang}: {report.corrected} corrected, {report.approved} approved in review "
          f"{report.review!r}; reviewed now {share.reviewed} of {share.total}")
    for problem in report.problems:
        print(f"  not imported: {problem}", file=sys.stderr)
    return 1 if report.problems else 0


if __name__ == "__main__":
    sys.exit(main())
