"""Load every YAML file under knowledge/ once, build typed objects, validate links.

Any problem stops start-up with a KnowledgeError naming file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.kb import models as m
from bot.kb.checks import check_content
from bot.kb.errors import KnowledgeError, Problem
from bot.kb.schema import Builder, field_path
from bot.kb.yamlsrc import LocatedDoc, Path_, load_located

DEFAULT_DIR = Path(__file__).resolve().parents[2] / "knowledge"

# Top-level key in a knowledge file -> the model of each item in its list.
COLLECTIONS: dict[str, type] = {
    "groups": m.IndicatorGroup,
    "indicators": m.Indicator,
    "profiles": m.Profile,
    "phases": m.Phase,
    "matrix": m.MatrixCell,
    "fallback": m.FallbackCell,
    "partners": m.Partner,
    "measures": m.Measure,
    "offers": m.Offer,
    "red_flags": m.RedFlag,
    "cards": m.Card,
    "out_of_scope": m.OutOfScope,
    "contacts": m.Contact,
    "rules": m.Rule,
    "terms": m.Term,
    "vignettes": m.Vignette,
    "lessons": m.Lesson,
}
SINGLETONS: dict[str, type] = {"scoring": m.Scoring, "path": m.LearningPath, "handout": m.Handout,
                               "safety": m.Safety}
FILE_KEYS = {"region"}  # file-level settings, not collections

EXPECTED_PROFILES = ("intimate_terror", "family_stress", "child_behaviour",
                     "long_term_care", "complex_divorce")


@dataclass(frozen=True)
class Origin:
    doc: LocatedDoc
    path: Path_


class _Collector:
    def __init__(self) -> None:
        self.items: dict[str, list[tuple[Any, Origin]]] = {k: [] for k in COLLECTIONS}
        self.singletons: dict[str, tuple[Any, Origin]] = {}
        self.problems: list[Problem] = []
        self.regions: list[str] = []

    def fail(self, origin: Origin, field: str, message: str) -> None:
        extra = tuple(int(p) if p.isdigit() else p for p in field.split(".")) if field else ()
        path = origin.path + extra
        self.problems.append(Problem(origin.doc.file, origin.doc.line_of(path), field_path(path),
                                     message))

    def add_doc(self, doc: LocatedDoc) -> None:
        b = Builder(doc)
        if doc.data is None:
            self.problems.append(Problem(doc.file, None, "(file)", "file is empty"))
            return
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.file, 1, "(top)", "must be a mapping of collections"))
            return
        region = doc.data.get("region")
        if region is not None:
            if not isinstance(region, str) or not region.strip():
                b.fail(("region",), "must be a region id")
            else:
                self.regions.append(region)
        for key, value in doc.data.items():
            if key in FILE_KEYS:
                continue
            if key in SINGLETONS:
                obj = b.build(SINGLETONS[key], value, (key,))
                self.singletons[key] = (obj, Origin(doc, (key,)))
                continue
            model = COLLECTIONS.get(key)
            if model is None:
                known = ", ".join([*COLLECTIONS, *SINGLETONS])
                b.fail((key,), f"unknown collection (expected one of: {known})")
                continue
            if not isinstance(value, list):
                b.fail((key,), "must be a list")
                continue
            for i, raw in enumerate(value):
                if key == "contacts" and isinstance(raw, dict) and region and "region" not in raw:
                    raw = {**raw, "region": region}
                obj = b.build(model, raw, (key, i))
                self.items[key].append((obj, Origin(doc, (key, i))))
        self.problems.extend(b.problems)


def _index(c: _Collector, key: str, id_attr: str = "id") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for obj, origin in c.items[key]:
        ident = getattr(obj, id_attr)
        if ident in out:
            c.fail(origin, id_attr, f"duplicate id {ident!r}")
        out[ident] = obj
    return out


class _Linker:
    """Checks that every id a piece of content points at exists."""

    def __init__(self, c: _Collector, kb: dict[str, dict[str, Any]]) -> None:
        self.c = c
        self.kb = kb

    def refs(self, origin: Origin, field: str, ids: tuple[str, ...] | list[str],
             collection: str) -> None:
        for i, ident in enumerate(ids):
            if ident not in self.kb[collection]:
                self.c.fail(origin, f"{field}.{i}" if len(ids) > 1 or i else field,
                            f"unknown {collection[:-1] if collection.endswith('s') else collection}"
                            f" id {ident!r}")

    def ref(self, origin: Origin, field: str, ident: str | None, collection: str) -> None:
        if ident is not None and ident not in self.kb[collection]:
            self.c.fail(origin, field, f"unknown {collection} id {ident!r}")


def load_knowledge(directory: Path | None = None) -> m.Knowledge:
    directory = directory or DEFAULT_DIR
    files = sorted(p for p in directory.rglob("*.yaml") if p.is_file())
    if not files:
        raise KnowledgeError([Problem(directory, None, "(dir)", "no knowledge files found")])
    c = _Collector()
    for f in files:
        try:
            c.add_doc(load_located(f))
        except KnowledgeError as exc:
            c.problems.extend(exc.problems)
    if c.problems:
        raise KnowledgeError(c.problems)
    return _assemble(c)


def _assemble(c: _Collector) -> m.Knowledge:
    idx = {key: _index(c, key) for key in ("groups", "indicators", "profiles", "phases",
                                           "partners", "measures", "offers", "red_flags",
                                           "cards", "out_of_scope", "contacts", "rules", "terms",
                                           "vignettes", "lessons")}
    link = _Linker(c, idx)
    indicators = idx["indicators"]

    for obj, o in c.items["indicators"]:
        link.ref(o, "group", obj.group, "groups")

    for pid in EXPECTED_PROFILES:
        if pid not in idx["profiles"]:
            c.problems.append(Problem(Path("knowledge"), None, "profiles", f"profile {pid!r} missing"))
    for obj, o in c.items["profiles"]:
        if obj.id not in EXPECTED_PROFILES:
            c.fail(o, "id", f"unknown profile id {obj.id!r} (expected {', '.join(EXPECTED_PROFILES)})")
        for i, d in enumerate(obj.distinguish):
            link.ref(o, f"distinguish.{i}.vs", d.vs, "profiles")
        for i, use in enumerate(obj.protection):
            link.ref(o, f"protection.{i}.measure", use.measure, "measures")
        _offers_of_kind(c, idx, o, "professional_help", obj.professional_help, "professional")
        _offers_of_kind(c, idx, o, "low_threshold", obj.low_threshold, "low_threshold")
        link.refs(o, "contacts", obj.contacts, "contacts")

    for pid in m.PHASES:
        if pid not in idx["phases"]:
            c.problems.append(Problem(Path("knowledge"), None, "phases", f"phase {pid!r} missing"))

    matrix: dict[tuple[str, str], m.MatrixCell] = {}
    for obj, o in c.items["matrix"]:
        if obj.profile not in idx["profiles"]:
            c.fail(o, "profile", f"unknown profile id {obj.profile!r}")
        key = (obj.profile, obj.phase)
        if key in matrix:
            c.fail(o, "phase", f"duplicate matrix cell {obj.profile} x {obj.phase}")
        matrix[key] = obj
        link.refs(o, "partners", obj.partners, "partners")
        link.refs(o, "protection", obj.protection, "measures")
    for pid in EXPECTED_PROFILES:
        for phase in m.PHASES:
            if (pid, phase) not in matrix:
                c.problems.append(Problem(Path("knowledge/matrix.yaml"), None, "matrix",
                                          f"cell {pid} x {phase} is not filled"))
    fallback: dict[str, m.FallbackCell] = {}
    for obj, o in c.items["fallback"]:
        if obj.phase in fallback:
            c.fail(o, "phase", f"duplicate fallback for {obj.phase}")
        fallback[obj.phase] = obj
        link.refs(o, "partners", obj.partners, "partners")
        link.refs(o, "protection", obj.protection, "measures")
    for phase in m.PHASES:
        if phase not in fallback:
            c.problems.append(Problem(Path("knowledge/matrix.yaml"), None, "fallback",
                                      f"fallback for {phase} is missing"))

    for obj, o in c.items["partners"]:
        link.ref(o, "contact", obj.contact, "contacts")
    for obj, o in c.items["offers"]:
        link.ref(o, "contact", obj.contact, "contacts")
    for obj, o in c.items["red_flags"]:
        link.ref(o, "id", obj.id, "indicators")
    all_ids = {i for key in ("profiles", "partners", "measures", "offers", "cards",
                             "out_of_scope", "contacts", "red_flags", "terms") for i in idx[key]}
    for obj, o in c.items["terms"]:
        for i, rel in enumerate(obj.related):
            if rel not in all_ids:
                c.fail(o, f"related.{i}", f"unknown id {rel!r}")
    for obj, o in c.items["vignettes"]:
        link.ref(o, "profile", obj.profile, "profiles")
        for i, ex in enumerate(obj.exercises):
            _check_exercise(c, o, f"exercises.{i}", ex)
    for obj, o in c.items["lessons"]:
        if obj.check is not None:
            _check_exercise(c, o, "check", obj.check)
    path_entry = c.singletons.get("path")
    if path_entry is not None:
        path, po = path_entry
        for i, step in enumerate(path.steps):
            if step not in idx["lessons"] and step not in idx["vignettes"] and step != "glossary_quiz":
                c.fail(po, f"steps.{i}", f"unknown lesson or vignette id {step!r}")
    for obj, o in c.items["cards"]:
        for i, rel in enumerate(obj.related):
            if rel not in all_ids:
                c.fail(o, f"related.{i}", f"unknown id {rel!r}")
    for obj, o in c.items["out_of_scope"]:
        link.ref(o, "id", obj.id, "indicators")
        link.refs(o, "partners", obj.partners, "partners")
        link.refs(o, "contacts", obj.contacts, "contacts")
    for obj, o in c.items["contacts"]:
        if obj.phone is not None and not all(ch.isdigit() or ch in " -+" for ch in obj.phone):
            c.fail(o, "phone", f"{obj.phone!r} is not a phone number")
        if not (obj.phone or obj.chat or obj.url):
            c.fail(o, "phone", "a contact needs at least a phone, chat or url")
    for required in ("veilig_thuis", "112"):
        if required not in idx["contacts"]:
            c.problems.append(Problem(Path("knowledge/contacts"), None, "contacts",
                                      f"contact {required!r} is required"))

    for obj, o in c.items["rules"]:
        for part in ("add", "remove"):
            change = getattr(obj, part)
            link.refs(o, f"{part}.partners", change.partners, "partners")
            link.refs(o, f"{part}.protection", change.protection, "measures")
            link.refs(o, f"{part}.professional_help", change.professional_help, "offers")
            link.refs(o, f"{part}.low_threshold", change.low_threshold, "offers")
            link.refs(o, f"{part}.contacts", change.contacts, "contacts")

    check_content(c, idx, link)  # conditions, relevance, formats, joint-work texts

    scoring_entry = c.singletons.get("scoring")
    if scoring_entry is None:
        c.problems.append(Problem(Path("knowledge"), None, "scoring", "scoring is missing"))
    else:
        scoring, o = scoring_entry
        for pid in EXPECTED_PROFILES:
            if pid not in scoring.signals:
                c.fail(o, "signals", f"no signals for profile {pid!r}")
        for pid, signals in scoring.signals.items():
            if pid not in idx["profiles"]:
                c.fail(o, f"signals.{pid}", f"unknown profile id {pid!r}")
            for i, sig in enumerate(signals):
                for ind in sig.any:
                    if ind not in indicators:
                        c.fail(o, f"signals.{pid}.{i}.any", f"unknown indicator id {ind!r}")
        pattern = scoring.coercive_pattern
        for ind in (*pattern.direct, *pattern.supporting, *scoring.serious_regie_trigger):
            if ind not in indicators:
                c.fail(o, "coercive_pattern", f"unknown indicator id {ind!r}")

    if c.problems:
        raise KnowledgeError(c.problems)
    return m.Knowledge(
        indicator_groups=idx["groups"], indicators=indicators, profiles=idx["profiles"],
        phases=idx["phases"], matrix=matrix, fallback=fallback, partners=idx["partners"],
        measures=idx["measures"], offers=idx["offers"], red_flags=idx["red_flags"],
        cards=idx["cards"], out_of_scope=idx["out_of_scope"], contacts=idx["contacts"],
        rules=tuple(obj for obj, _ in c.items["rules"]), scoring=scoring_entry[0]
        if scoring_entry else None,  # type: ignore[arg-type]
        regions=tuple(dict.fromkeys(["national", *c.regions])),
        terms=idx["terms"], vignettes=idx["vignettes"], lessons=idx["lessons"],
        path=path_entry[0] if path_entry else None,
        handout=c.singletons["handout"][0] if "handout" in c.singletons else None,
        safety=c.singletons["safety"][0] if "safety" in c.singletons else None,
    )


def _check_exercise(c: _Collector, o: Origin, field: str, ex: m.Exercise) -> None:
    if len(ex.choices) < 2:
        c.fail(o, f"{field}.choices", "an exercise needs at least two choices")
    if sum(ch.correct for ch in ex.choices) != 1:
        c.fail(o, f"{field}.choices", "exactly one choice must be correct")


def _offers_of_kind(c: _Collector, idx: dict[str, dict[str, Any]], o: Origin, field: str,
                    ids: tuple[str, ...], kind: str) -> None:
    for i, ident in enumerate(ids):
        offer = idx["offers"].get(ident)
        if offer is None:
            c.fail(o, f"{field}.{i}", f"unknown offer id {ident!r}")
        elif offer.kind != kind:
            c.fail(o, f"{field}.{i}", f"offer {ident!r} is {offer.kind}, not {kind}")
