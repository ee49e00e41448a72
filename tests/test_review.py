"""The review kit round-trips: export for a reviewer, import their corrections, count the share.

Every test works on a temporary copy of locales/, never on the real catalogs.
"""

from __future__ import annotations

import csv
import gettext
import shutil
import subprocess
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.catalogs import Catalogs
from bot.i18n.review import (
    NOT_REVIEWED,
    PARTLY_REVIEWED,
    REVIEWED,
    catalog_share,
    po_path,
    reviewed_share,
    translation_note,
)
from bot.i18n.reviewkit import HEADER, ReviewError, export, import_review, main
from bot.paths import LOCALES_DIR
from bot.ui import texts
from bot.ui.screen import Msg, Percent

TRANSLATED = ("en", "tr", "ar", "pl", "uk")


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    copy = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, copy, ignore=shutil.ignore_patterns("*.mo"))
    reviewed_share.cache_clear()
    return copy


def read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def write_rows(path: Path, rows: list[dict[str, str]], delimiter: str = ",") -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=HEADER, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)


def catalog(locales: Path, lang: str):  # type: ignore[no-untyped-def]
    with po_path(lang, locales).open("rb") as fh:
        return read_po(fh, locale=lang)


def row_for(rows: list[dict[str, str]], msgid: str) -> dict[str, str]:
    return next(r for r in rows if r["msgid"] == msgid)


def test_export_writes_a_csv_row_per_message_safety_critical_first(locales: Path,
                                                                   tmp_path: Path) -> None:
    csv_path, html_path = export("tr", tmp_path / "review", locales)
    assert csv_path.name == "tr.csv" and html_path.name == "tr.html"
    first_line = csv_path.read_bytes().split(b"\r\n")[0]
    assert first_line.decode("utf-8-sig") == "msgid,msgstr,where,critical,correction"
    rows = read_rows(csv_path)
    po = catalog(locales, "tr")
    assert len(rows) == sum(len(m.string) if isinstance(m.id, tuple) else 1 for m in po if m.id)
    flags = [r["critical"] for r in rows]
    assert set(flags) == {"yes", "no"} and flags == sorted(flags, reverse=True)  # yes first
    assert all(r["where"] and r["correction"] == "" for r in rows)
    acute = row_for(rows, texts.ACUTE_LINE.msgid)
    assert acute["critical"] == "yes" and "bot/ui/texts.py" in acute["where"]
    assert acute["msgstr"] == po[texts.ACUTE_LINE.msgid].string
    strangling = row_for(rows, "Verwurging of verstikking")  # a red flag: critical by its file
    assert strangling["critical"] == "yes" and "red_flags.strangulation.title" in strangling["where"]
    assert row_for(rows, "Parentificatie")["critical"] == "no"


def test_the_html_opens_offline_critical_first_and_right_to_left_for_arabic(locales: Path,
                                                                           tmp_path: Path) -> None:
    _, html_path = export("ar", tmp_path, locales)
    page = html_path.read_text(encoding="utf-8")
    assert "<script" not in page and "src=" not in page and "<link" not in page
    assert page.index("Safety-critical messages") < page.index("All other messages")
    assert 'lang="ar" dir="rtl"' in page and "0800-2000" in page
    assert "Approved terms" in page and "Veilig Thuis" in page


def test_export_refuses_an_unknown_language(locales: Path, tmp_path: Path) -> None:
    with pytest.raises(ReviewError, match="xx"):
        export("xx", tmp_path, locales)


def test_round_trip_correction_and_approval(locales: Path, tmp_path: Path) -> None:
    csv_path, _ = export("tr", tmp_path / "review", locales)
    rows = read_rows(csv_path)
    corrected = row_for(rows, texts.GOODBYE.msgid)
    corrected["correction"] = "Hoşça kalın. Hiçbir şey saklanmadı (gözden geçirildi)."
    approved = row_for(rows, texts.ACUTE_LINE.msgid)
    approved["correction"] = "="
    write_rows(csv_path, rows)
    before = po_path("tr", locales).read_text(encoding="utf-8")

    report = import_review(csv_path, "tr-2027-01 (A. Yılmaz)", directory=locales)

    assert (report.corrected, report.approved, report.problems) == (1, 1, [])
    po = catalog(locales, "tr")
    goodbye = po[texts.GOODBYE.msgid]
    assert goodbye.string == "Hoşça kalın. Hiçbir şey saklanmadı (gözden geçirildi)."
    assert any(c.startswith("reviewed: tr-2027-01 (A. Yılmaz), corrected ")
               for c in goodbye.user_comments)
    assert any("approved" in c for c in po[texts.ACUTE_LINE.msgid].user_comments)
    assert catalog_share(po).reviewed == 2
    assert "REVIEW STATUS: 2 of " in po.header_comment and "NOT YET REVIEWED" in po.header_comment
    # nothing else changed in the file but those two entries and the header
    after = po_path("tr", locales).read_text(encoding="utf-8")
    changed = {ln for ln in after.splitlines()} ^ {ln for ln in before.splitlines()}
    assert all(ln.startswith(("#", '"PO-Revision-Date', '"Generated-By', "msgstr")) for ln in changed)
    # the catalog compiles and the bot shows the correction
    catalogs = Catalogs(locales, languages=("nl", "tr"))  # only tr was compiled by the import
    assert catalogs.get("tr").gettext(texts.GOODBYE.msgid) == goodbye.string
    if shutil.which("msgfmt"):
        subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po_path("tr", locales))], check=True)
    reviewed_share.cache_clear()
    share = reviewed_share("tr", locales)
    assert share.reviewed == 2 and share.total == len([m for m in po if m.id])


def test_an_entry_edited_after_its_review_no_longer_counts(locales: Path, tmp_path: Path) -> None:
    csv_path, _ = export("pl", tmp_path, locales)
    rows = read_rows(csv_path)
    row_for(rows, texts.GOODBYE.msgid)["correction"] = "="
    write_rows(csv_path, rows)
    import_review(csv_path, "pl-1", directory=locales)
    po = po_path("pl", locales)
    assert catalog_share(catalog(locales, "pl")).reviewed == 1
    text = po.read_text(encoding="utf-8")
    old = row_for(rows, texts.GOODBYE.msgid)["msgstr"]
    po.write_text(text.replace(f'msgstr "{old}"', 'msgstr "Do widzenia."'), encoding="utf-8")
    assert catalog_share(catalog(locales, "pl")).reviewed == 0


def test_import_refuses_what_would_break_the_catalog(locales: Path, tmp_path: Path) -> None:
    csv_path, _ = export("uk", tmp_path, locales)
    rows = read_rows(csv_path)
    acute = row_for(rows, texts.ACUTE_LINE.msgid)
    acute["correction"] = acute["msgstr"].replace("0800-2000", "0800-2001")  # a wrong number
    stale = row_for(rows, texts.GOODBYE.msgid)
    stale["msgstr"], stale["correction"] = "an older translation", "="
    rows.append({"msgid": "Een zin die niet bestaat", "msgstr": "x", "where": "", "critical": "no",
                 "correction": "y"})
    write_rows(csv_path, rows)
    before = po_path("uk", locales).read_bytes()
    report = import_review(csv_path, "uk-1", directory=locales)
    assert report.corrected == report.approved == 0
    assert len(report.problems) == 3
    assert "0800-2000" in report.problems[0]
    assert "changed after the export" in report.problems[1]
    assert "no longer in the catalog" in report.problems[2]
    assert po_path("uk", locales).read_bytes() == before


def test_semicolon_csv_from_a_spreadsheet_and_the_command_line(locales: Path, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "en", "--out", str(tmp_path), "--locales", str(locales)]) == 0
    rows = read_rows(tmp_path / "en.csv")
    row_for(rows, texts.GOODBYE.msgid)["correction"] = "Goodbye. Nothing has been kept."
    write_rows(tmp_path / "en.csv", rows, delimiter=";")
    assert main(["import", str(tmp_path / "en.csv"), "--locales", str(locales)]) == 0
    assert "1 corrected" in capsys.readouterr().out
    assert catalog(locales, "en")[texts.GOODBYE.msgid].string == "Goodbye. Nothing has been kept."


def test_a_file_that_is_not_utf8_gets_a_clear_answer(locales: Path, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "tr.csv"
    bad.write_bytes("msgid,msgstr,where,critical,correction\nTot ziens.,x,,no,Güle güle\n"
                    .encode("cp1254"))
    assert main(["import", str(bad), "--locales", str(locales)]) == 2
    assert "CSV UTF-8" in capsys.readouterr().err
    unknown = tmp_path / "review.csv"
    unknown.write_text("msgid,msgstr,where,critical,correction\n", encoding="utf-8")
    with pytest.raises(ReviewError, match="language"):
        import_review(unknown, directory=locales)


def test_translation_note_follows_the_reviewed_share(locales: Path, tmp_path: Path) -> None:
    assert translation_note("nl", locales) is None
    assert translation_note("tr", locales) == Msg(NOT_REVIEWED)
    csv_path, _ = export("tr", tmp_path, locales)
    rows = read_rows(csv_path)
    rows[0]["correction"] = "="
    write_rows(csv_path, rows)
    import_review(csv_path, "tr-1", directory=locales)
    reviewed_share.cache_clear()
    note = translation_note("tr", locales)
    assert note is not None and note.msgid == PARTLY_REVIEWED
    share = dict(note.params)["share"]
    assert isinstance(share, Percent) and share.value == 0.01  # 1 of ~1300: 1%, not 0%
    for row in rows[:-1]:
        row["correction"] = "="
    write_rows(csv_path, rows)
    import_review(csv_path, "tr-2", directory=locales)
    reviewed_share.cache_clear()
    note = translation_note("tr", locales)
    assert note is not None and dict(note.params)["share"] == Percent(0.99)  # never 100% too early
    rows[-1]["correction"] = "="
    write_rows(csv_path, rows)
    import_review(csv_path, "tr-2", directory=locales)
    reviewed_share.cache_clear()
    assert translation_note("tr", locales) == Msg(REVIEWED)
    assert "all " in catalog(locales, "tr").header_comment
    assert "NOT YET REVIEWED" not in catalog(locales, "tr").header_comment


@pytest.mark.parametrize("lang", TRANSLATED)
def test_real_catalogs_keep_the_honest_notice_until_reviewed(lang: str) -> None:
    po = catalog(LOCALES_DIR, lang)
    share = catalog_share(po)
    if share.reviewed < share.total:
        assert "NOT YET REVIEWED" in po.header_comment
    if share.reviewed == 0:
        assert translation_note(lang) == Msg(NOT_REVIEWED)


def test_the_review_messages_are_translated() -> None:
    for lang in TRANSLATED:
        with po_path(lang).with_suffix(".mo").open("rb") as fh:
            tr = gettext.GNUTranslations(fh)
        for msgid in (NOT_REVIEWED, PARTLY_REVIEWED, REVIEWED):
            assert tr.gettext(msgid) != msgid, (lang, msgid)
