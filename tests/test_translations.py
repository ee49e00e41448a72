"""Translation quality that a test can hold: the term base, and each reviewed error.

Issue 16 listed errors a careful read found in the catalogs. Each has a test here that
fails if it comes back; the term base (locales/terms.csv) keeps the domain terms one
way in every catalog.
"""

from __future__ import annotations

import csv
import gettext
import re
from functools import cache

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

from bot.i18n.review import po_path
from bot.i18n.reviewkit import protected
from bot.i18n.terms import TRANSLATED, Term, check_catalog, fold, load_terms
from bot.paths import LOCALES_DIR
from bot.ui import texts

TERMS = LOCALES_DIR / "terms.csv"


@cache
def catalog(lang: str) -> Catalog:
    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang)


def messages(lang: str) -> list[Message]:
    return [m for m in catalog(lang) if m.id and isinstance(m.id, str)]


def translation(lang: str, msgid: str) -> str:
    message = catalog(lang).get(msgid)
    assert message is not None, msgid
    return str(message.string)


def where_dutch(lang: str, pattern: str) -> list[tuple[str, str]]:
    found = [(str(m.id), str(m.string)) for m in messages(lang) if re.search(pattern, str(m.id))]
    assert found, f"no Dutch message matches {pattern!r}: the test would hold nothing"
    return found


# --- the term base ----------------------------------------------------------------------
def test_term_base_is_complete_and_used() -> None:
    with TERMS.open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert header == ["id", "nl", "match", "definition", *TRANSLATED]
    terms = load_terms(TERMS)
    assert len(terms) >= 20
    assert len({t.id for t in terms}) == len(terms)
    dutch = [str(m.id) for m in messages("en")]
    for term in terms:
        assert term.definition.strip() and all(term.renderings[lang] for lang in TRANSLATED), term.id
        assert any(term.occurs_in(msgid) for msgid in dutch), f"{term.id} occurs in no message"
    # the institutions the review named are all in it, each with one explanation
    glossed = {t.id for t in terms if all(t.gloss(lang) for lang in TRANSLATED)}
    assert {"veilig_thuis", "zorg_en_veiligheidshuis", "wijkteam", "mda"} <= glossed
    assert {"regie", "tijdelijk_huisverbod", "direct_gevaar"} <= {t.id for t in terms}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_every_catalog_uses_the_approved_terms(lang: str) -> None:
    findings = check_catalog(catalog(lang), lang, load_terms(TERMS))
    assert findings == [], "\n".join(str(f) for f in findings[:5])


def _one_message(msgid: str, msgstr: str, lang: str) -> Catalog:
    made = Catalog(locale=lang)
    made.add(msgid, msgstr)
    return made


def test_the_term_check_catches_a_wrong_rendering_and_accepts_inflection() -> None:
    terms = load_terms(TERMS)
    nl = "Een tijdelijk huisverbod kan alleen tegen iemand van 18 of ouder."
    wrong = _one_message(nl, "A temporary restraining order (tijdelijk huisverbod) can only ...", "en")
    assert [f.term for f in check_catalog(wrong, "en", terms)] == ["tijdelijk_huisverbod"]
    right = _one_message(nl, "An emergency barring order (tijdelijk huisverbod) can only ...", "en")
    assert check_catalog(right, "en", terms) == []
    declined = _one_message("Bij direct gevaar: bel 112.", "W razie bezpośredniego zagrożenia: 112.", "pl")
    assert check_catalog(declined, "pl", terms) == []
    tips = _one_message("Er zijn aanwijzingen voor dwang en controle.",
                        "Są wskazówki na przymus i kontrolę.", "pl")
    assert {f.term for f in check_catalog(tips, "pl", terms)} == {"aanwijzingen"}


def test_the_term_check_holds_institutions_to_one_explanation() -> None:
    terms = load_terms(TERMS)
    nl = "Bel Veilig Thuis: 0800-2000."
    other = _one_message(nl, "Call Veilig Thuis (a helpline): 0800-2000.", "en")
    assert [f.term for f in check_catalog(other, "en", terms)] == ["veilig_thuis"]
    approved = _one_message(nl, "Call Veilig Thuis (the Dutch advice and reporting centre for domestic "
                                "violence and child abuse): 0800-2000.", "en")
    assert check_catalog(approved, "en", terms) == []
    cited = _one_message("Zie Veilig Thuis (rapport §5.7).", "See Veilig Thuis (report §5.7).", "en")
    assert check_catalog(cited, "en", terms) == []


def test_fold_matches_turkish_and_arabic_forms() -> None:
    assert fold("AİLE İÇİ") == fold("aile içi")
    assert fold("خطرًا مباشرًا") == fold("خطرا مباشرا")


# --- glossary titles carry the Dutch term one way -----------------------------------------
def _glossary_titles(lang: str) -> dict[str, tuple[str, str]]:
    """term id -> (Dutch title, translated title)"""
    found = {}
    for m in messages(lang):
        for comment in m.auto_comments:
            hit = re.fullmatch(r"terms\.([a-z0-9_]+)\.term", comment)
            if hit:
                found[hit.group(1)] = (str(m.id), str(m.string))
    return found


def _title_form(dutch: str, title: str) -> str:
    """'name' (the Dutch term first) or 'translated' (the Dutch term in the last brackets)."""
    main = re.sub(r" \(.*\)$", "", dutch)
    if fold(title).startswith(fold(main)) and re.fullmatch(r"( \(.+\))?", title[len(main):]):
        return "name"
    last = re.search(r"\(([^()]*)\)$", title)
    if last and fold(last.group(1)).startswith(fold(main)):
        return "translated"
    return f"no Dutch term: {title!r}"


def test_glossary_titles_carry_the_dutch_term_the_same_way_in_every_language() -> None:
    titles = {lang: _glossary_titles(lang) for lang in TRANSLATED}
    assert len(titles["en"]) >= 60
    for term, (dutch, _) in titles["en"].items():
        forms = {lang: _title_form(dutch, titles[lang][term][1]) for lang in TRANSLATED}
        assert len(set(forms.values())) == 1 and set(forms.values()) <= {"name", "translated"}, \
            (term, forms)


# --- each reviewed error, held ------------------------------------------------------------
ABOUT_NOT_EMERGENCY = {  # "Beschermwijzer is geen hulpdienst": not an emergency service
    "en": "not an emergency service", "ar": "ليس خدمة طوارئ",
    "tr": "acil durum hizmeti değildir", "pl": "nie jest służbą ratunkową",
    "uk": "не є екстреною службою",
}
HELPLINE = {"tr": "yardım hattı", "pl": "służbą pomocową", "uk": "службою допомоги"}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_about_says_not_an_emergency_service(lang: str) -> None:
    about = translation(lang, texts.ABOUT)
    assert ABOUT_NOT_EMERGENCY[lang] in about
    if lang in HELPLINE:
        assert HELPLINE[lang] not in about


def test_ukrainian_question_on_the_minor_has_a_verb() -> None:
    question = translation("uk", "Is de jongere die geweld gebruikt jonger dan 18 jaar?")
    assert question.endswith("?") and "18" in question
    main_clause = re.sub(r", яка [^,]+,", ",", question)  # without the relative clause
    assert re.search(r"\b(є|має|виповнилося|досягла)\b", main_clause), question


PRINCIPLE = "Erken het geweld naar het slachtoffer toe"
PRINCIPLE_WRONG = {"tr": "kabul edin", "ar": "اعترف", "uk": "Визнайте насильство перед",
                   "pl": "Uznaj przemoc"}
PRINCIPLE_MEANT = {"tr": "şiddet olduğunu", "ar": "ما تتعرض له عنف", "uk": "це насильство",
                   "pl": "jest przemocą", "en": "is violence"}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_tell_the_victim_it_is_violence(lang: str) -> None:
    (_, card), = where_dutch(lang, PRINCIPLE)
    assert PRINCIPLE_MEANT[lang] in card
    if lang in PRINCIPLE_WRONG:
        assert PRINCIPLE_WRONG[lang] not in card


def test_ukrainian_interpreter_lines_ask_nobody_in_the_family_to_interpret() -> None:
    for _, line in where_dutch("uk", r"(nooit|geen) (de partner|een kind|een familielid|familielid).*tolk"):
        assert not re.search(r"перекладати (партнер|дитин|родич)", line), line
        assert "як перекладача" in line, line


def test_polish_indications_are_not_tips() -> None:
    for _, line in where_dutch("pl", r"(?<!diens )(?<!geeft )\b[Aa]anwijzingen\b"):
        assert "wskazów" not in line.casefold(), line


IMPERSONAL = re.compile(r"\b(zauważono|usłyszano|wysłuchano|zaplanowano|zaznaczono|rozpoznano|"
                        r"odpowiedziano)\b")


def test_polish_names_the_professional_who_acts() -> None:
    dutch_you = [(nl, pl) for nl, pl in where_dutch("pl", r"\b(je|Je|jij|Jij)\b")]
    assert [pl for _, pl in dutch_you if IMPERSONAL.search(pl)] == []


PL_PLURAL_YOU = re.compile(r"\b\w+(ajcie|ujcie|ijcie|yjcie|ejcie|ńcie|źcie|ćcie|lcie|rzcie)\b(?! się\b)?"
                           r"|\b(wasz|wasza|wasze|waszego|wam|was)\b", re.IGNORECASE)
AR_PLURAL_YOU = re.compile(r"(?<![\u0600-\u06FF])و?(اتفقوا|ضعوا|اعملوا|تعاونوا|استعينوا|طوّروا|"
                           r"تحدثوا مع|اتصلوا|انتبهوا)(?![\u0600-\u06FF])")


def test_one_address_form_per_language() -> None:
    assert [str(m.string) for m in messages("pl") if PL_PLURAL_YOU.search(str(m.string))] == []
    assert [str(m.string) for m in messages("ar") if AR_PLURAL_YOU.search(str(m.string))] == []
    # Veilig Thuis is feminine in Arabic, like the noun that explains it (هيئة)
    masculine = re.compile(r"(?<![\u0600-\u06FF])ي[\u0600-\u06FF]+ Veilig Thuis|Veilig Thuis خاص ")
    assert [str(m.string) for m in messages("ar") if masculine.search(str(m.string))] == []


def test_ukrainian_safe_place_is_going_not_moving_house() -> None:
    for _, line in where_dutch("uk", r"naar een veilige plek"):
        assert not re.search(r"переїх|перебрат|переїзд", line), line


def test_no_contact_means_with_the_family_not_with_anyone() -> None:
    for _, line in where_dutch("ar", r"geen contact (zoeken|opnemen)"):
        assert "مع أحد" not in line, line


def test_withholding_care_is_what_threatens_health() -> None:
    (_, uk), = where_dutch("uk", r"^Zorg onthouden die de gezondheid direct bedreigt")
    assert "допомоги, що" not in uk and "позбавляють" in uk
    (_, pl), = where_dutch("pl", r"^Zorg onthouden die de gezondheid direct bedreigt")
    assert "chroni zdrowie" not in pl and "zagraża zdrowiu" in pl


def test_english_names_the_emergency_barring_order_with_the_dutch_term() -> None:
    assert [str(m.string) for m in messages("en") if "restraining" in str(m.string)] == []
    assert translation("en", "Tijdelijk huisverbod") == "Emergency barring order (tijdelijk huisverbod)"


NOT_NATURAL = {"tr": r"doğrudan tehlike|akut tehlike", "ar": r"خطر حاد|الخطر الحاد",
               "uk": r"гостр\w* (небезпек|загроз)", "en": r"direct danger|acute danger",
               "pl": r"pilnym? (zagroż|niebezpiecz)"}


@pytest.mark.parametrize("lang", TRANSLATED)
def test_danger_now_in_the_natural_term(lang: str) -> None:
    literal = re.compile(NOT_NATURAL[lang], re.IGNORECASE)
    assert [str(m.string) for m in messages(lang) if literal.search(str(m.string))] == []


@pytest.mark.parametrize("lang", TRANSLATED)
def test_numbers_urls_and_placeholders_are_carried_over(lang: str) -> None:
    assert [m.id for m in messages(lang) if protected(str(m.id)) != protected(str(m.string))] == []


def test_arabic_plural_forms_follow_the_gettext_manual() -> None:
    header = dict(catalog("ar").mime_headers)["Plural-Forms"]
    assert "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5" in header
    with po_path("ar").with_suffix(".mo").open("rb") as fh:
        plural = gettext.GNUTranslations(fh).plural  # type: ignore[attr-defined]
    expected = {0: 0, 1: 1, 2: 2, 3: 3, 10: 3, 11: 4, 99: 4, 100: 5, 102: 5, 103: 3, 111: 4}
    assert {n: plural(n) for n in expected} == expected


def _term(terms: list[Term], ident: str) -> Term:
    return next(t for t in terms if t.id == ident)


def test_handout_explains_veilig_thuis_the_approved_way_when_it_explains_it() -> None:
    terms = load_terms(TERMS)
    vt = _term(terms, "veilig_thuis")
    for lang in TRANSLATED:
        name, gloss = vt.gloss(lang) or ("", "")
        handout = [str(m.string) for m in catalog(lang)
                   if m.id and any(loc.startswith(("knowledge/handout.yaml", "bot/dialog/handout.py"))
                                   for loc, _ in m.locations)]
        assert handout
        for line in handout:
            for explained in re.findall(re.escape(name) + r" \(([^()§\d]*)\)", line):
                assert explained == gloss, (lang, line)
