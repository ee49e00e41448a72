"""Load every YAML file under knowledge/ once, build typed objects, validate links.

The national content is every file outside knowledge/regions/; one region pack
(knowledge/regions/<region>/) may be loaded with it (bot/kb/regions.py has the rule).
Any problem stops start-up with a KnowledgeError naming file, line and field.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.kb import models as m
from bot.kb import regions as rg
from bot.kb.checks import ANSWERS, check_content
from bot.kb.errors import KnowledgeError, Problem
from bot.kb.schema import Builder, Reference, field_path
from bot.kb.yamlsrc import LocatedDoc, Path_, load_located
from bot.paths import KNOWLEDGE_DIR

DEFAULT_DIR = KNOWLEDGE_DIR

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
    "weighing": m.WeighingQuestion,
    "weighing_outcomes": m.WeighingOutcome,
    "code_versions": m.CodeVersion,
    "escalations": m.Escalation,
}
SINGLETONS: dict[str, type] = {"scoring": m.Scoring, "path": m.LearningPath, "handout": m.Handout,
                               "safety": m.Safety, "afwegingskader": m.Afwegingskader,
                               "handover": m.Handover, "followup": m.Followup,
                               rg.PACK_KEY: m.RegionPack}
FILE_KEYS = {"region"}  # file-level settings, not collections

EXPECTED_PROFILES = ("intimate_terror", "family_stress", "child_behaviour",
                     "long_term_care", "complex_divorce")


@dataclass(frozen=True)
class Origin:
    doc: LocatedDoc
    path: Path_
    pack: str | None = None  # the region pack the item is in; None: national content


class _Collector:
    def __init__(self) -> None:
        self.items: dict[str, list[tuple[Any, Origin]]] = {k: [] for k in COLLECTIONS}
        self.singletons: dict[str, tuple[Any, Origin]] = {}
        self.problems: list[Problem] = []
        self.refs: list[Reference] = []
        self.regions: list[str] = []
        self.left_out = 0  # references to items of region packs that are not loaded

    def fail(self, origin: Origin, field: str, message: str) -> None:
        extra = tuple(int(p) if p.isdigit() else p for p in field.split(".")) if field else ()
        path = origin.path + extra
        self.problems.append(Problem(origin.doc.file, origin.doc.line_of(path), field_path(path),
                                     message))

    def add_doc(self, doc: LocatedDoc, pack: str | None = None) -> None:
        """One file: national content (pack None) or a file of the region pack `pack`."""
        b = Builder(doc)
        if doc.data is None:
            self.problems.append(Problem(doc.file, None, "(file)", "file is empty"))
            return
        if not isinstance(doc.data, dict):
            self.problems.append(Problem(doc.file, 1, "(top)", "must be a mapping of collections"))
            return
        region = self._region(doc, b, pack)
        for key, value in doc.data.items():
            if key in FILE_KEYS:
                continue
            if pack is not None and key not in (*rg.PACK_COLLECTIONS, rg.PACK_KEY):
                b.fail((key,), f"a region pack holds only {', '.join(rg.PACK_COLLECTIONS)} and "
                               f"its `{rg.PACK_KEY}` description; {key} is national content")
                continue
            if key in SINGLETONS:
                if key == rg.PACK_KEY:
                    if pack is None:
                        b.fail((key,), "a region's description belongs in its pack "
                                       "(knowledge/regions/<region>/region.yaml)")
                        continue
                    value = {**value, "id": pack} if isinstance(value, dict) else value
                obj = b.build(SINGLETONS[key], value, (key,))
                self.singletons[key] = (obj, Origin(doc, (key,), pack))
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
                if key in ("contacts", "offers") and isinstance(raw, dict):
                    if region and "region" not in raw:
                        raw = {**raw, "region": region}
                    self._item_region(b, raw, (key, i), pack)
                obj = b.build(model, raw, (key, i))
                self.items[key].append((obj, Origin(doc, (key, i), pack)))
        self.problems.extend(b.problems)
        self.refs.extend(b.refs)

    def _region(self, doc: LocatedDoc, b: Builder, pack: str | None) -> str | None:
        """The file's `region`: `national` (or none) outside a pack, the pack's name inside."""
        region = doc.data.get("region")
        if region is not None and (not isinstance(region, str) or not region.strip()):
            b.fail(("region",), "must be a region id")
            return None
        if pack is None and region not in (None, "national"):
            b.fail(("region",), f"regional content belongs in its region pack: "
                                f"knowledge/regions/{region}/")
            return None
        if pack is not None and region != pack:
            b.fail(("region",), f"a file of the region pack {pack!r} starts with "
                                f"`region: {pack}` (the name of its folder)")
            return pack
        if region is not None:
            self.regions.append(region)
        return region

    @staticmethod
    def _item_region(b: Builder, raw: dict[str, Any], path: Path_, pack: str | None) -> None:
        given = raw.get("region", "national")
        if pack is None and given != "national":
            b.fail((*path, "region"), f"regional content belongs in its region pack: "
                                      f"knowledge/regions/{given}/")
        elif pack is not None and given != pack:
            b.fail((*path, "region"), f"an item of the region pack {pack!r} is of that region")


def _index(c: _Collector, key: str, id_attr: str = "id") -> dict[str, Any]:
    out: dict[str, Any] = {}
    for obj, origin in c.items[key]:
        ident = getattr(obj, id_attr)
        if ident in out:
            c.fail(origin, id_attr, f"duplicate id {ident!r}")
        out[ident] = obj
    return out


def check_refs(refs: list[Reference], kb: dict[str, dict[str, Any]]) -> list[Problem]:
    """Every id a field declares as a reference (models: `...Ref`) must exist."""
    problems = []
    for r in refs:
        found = next((kb[c][r.value] for c in r.target.collections if r.value in kb[c]), None)
        if found is None:
            [only] = r.target.collections if len(r.target.collections) == 1 else [""]
            noun = f"{only.removesuffix('s')} id" if only else "id"
            problems.append(Problem(r.file, r.line, r.field, f"unknown {noun} {r.value!r}"))
        elif r.target.kind is not None and getattr(found, "kind", None) != r.target.kind:
            noun = r.target.collections[0].removesuffix("s")
            problems.append(Problem(r.file, r.line, r.field,
                                    f"{noun} {r.value!r} is {found.kind}, not {r.target.kind}"))
    return problems


def load_knowledge(directory: Path | None = None, region: str | None = None, *,
                   template: bool = False) -> m.Knowledge:
    """The national content, with the region pack `region` when given (None: national
    contacts and offers only). `template` lets `check` load a template folder as a pack."""
    directory = directory or DEFAULT_DIR
    files = sorted(p for p in directory.rglob("*.yaml")
                   if p.is_file() and not rg.is_regional(p, directory))
    if not files:
        raise KnowledgeError([Problem(directory, None, "(dir)", "no knowledge files found")])
    packs = rg.region_packs(directory)
    folder = _pack_folder(directory, region, packs, template)
    c = _Collector()
    _read(c, files)
    if region is not None:
        _read(c, rg.pack_files(folder), region)
        if rg.PACK_KEY not in c.singletons:
            c.problems.append(Problem(folder, None, rg.PACK_KEY, "a region pack describes itself "
                                      f"in region.yaml: `{rg.PACK_KEY}: {{name, ...}}`"))
    if c.problems:
        raise KnowledgeError(c.problems)
    rg.apply_rule(c, _elsewhere(packs, region))
    if c.problems:
        raise KnowledgeError(c.problems)
    return _assemble(c)


def _read(c: _Collector, files: list[Path], pack: str | None = None) -> None:
    for f in files:
        try:
            c.add_doc(load_located(f), pack)
        except KnowledgeError as exc:
            c.problems.extend(exc.problems)


def _pack_folder(directory: Path, region: str | None, packs: dict[str, Path],
                 template: bool) -> Path:
    root = rg.packs_root(directory)
    if region is None:
        return root
    if region in packs:
        return packs[region]
    if (root / region).is_dir() and region.startswith(rg.TEMPLATE_MARK):
        if template:
            return root / region
        message = f"{region!r} is a template, not a region: copy it to knowledge/regions/<region>/"
    else:
        message = f"unknown region {region!r} (region packs: {', '.join(packs) or 'none'})"
    raise KnowledgeError([Problem(root, None, "BESCHERMWIJZER_REGION", message)])


def _elsewhere(packs: dict[str, Path], loaded: str | None) -> rg.Elsewhere:
    """The items of every pack not loaded, by collection and id. Read, never loaded: their
    own problems are for `check` of that region to report."""
    found: rg.Elsewhere = {key: {} for key in rg.PACK_COLLECTIONS}
    for name, folder in packs.items():
        if name == loaded:
            continue
        other = _Collector()
        _read(other, rg.pack_files(folder), name)
        for key in rg.PACK_COLLECTIONS:
            for obj, _ in other.items[key]:
                found[key].setdefault(obj.id, (name, obj))
    return found


def _assemble(c: _Collector) -> m.Knowledge:
    idx = {key: _index(c, key) for key in ("groups", "indicators", "profiles", "phases",
                                           "partners", "measures", "offers", "red_flags",
                                           "cards", "out_of_scope", "contacts", "rules", "terms",
                                           "vignettes", "lessons", "weighing",
                                           "weighing_outcomes", "escalations")}
    c.problems.extend(check_refs(c.refs, idx))
    _check_profiles_and_phases(c, idx)
    matrix, fallback = _tables(c)
    _check_learning(c, idx)
    _check_contacts(c, idx)
    check_content(c, idx)  # conditions, relevance, formats, joint-work texts
    _check_weighing(c)
    _check_scoring(c)
    if c.problems:
        raise KnowledgeError(c.problems)

    def one(key: str) -> Any:
        entry = c.singletons.get(key)
        return entry[0] if entry is not None else None

    return m.Knowledge(
        indicator_groups=idx["groups"], indicators=idx["indicators"], profiles=idx["profiles"],
        phases=idx["phases"], matrix=matrix, fallback=fallback, partners=idx["partners"],
        measures=idx["measures"], offers=idx["offers"], red_flags=idx["red_flags"],
        cards=idx["cards"], out_of_scope=idx["out_of_scope"], contacts=idx["contacts"],
        rules=tuple(obj for obj, _ in c.items["rules"]), scoring=one("scoring"),
        regions=tuple(dict.fromkeys(["national", *c.regions])),
        terms=idx["terms"], vignettes=idx["vignettes"], lessons=idx["lessons"],
        path=one("path"), handout=one("handout"), safety=one("safety"),
        weighing=idx["weighing"], weighing_outcomes=idx["weighing_outcomes"],
        afwegingskader=one("afwegingskader"), handover=one("handover"),
        code_versions=tuple(obj for obj, _ in c.items["code_versions"]),
        followup=one("followup"), escalations=idx["escalations"], region=one(rg.PACK_KEY),
        left_out=c.left_out,
    )


def _check_profiles_and_phases(c: _Collector, idx: dict[str, dict[str, Any]]) -> None:
    for pid in EXPECTED_PROFILES:
        if pid not in idx["profiles"]:
            c.problems.append(Problem(Path("knowledge"), None, "profiles", f"profile {pid!r} missing"))
    for obj, o in c.items["profiles"]:
        if obj.id not in EXPECTED_PROFILES:
            c.fail(o, "id", f"unknown profile id {obj.id!r} (expected {', '.join(EXPECTED_PROFILES)})")
    for pid in m.PHASES:
        if pid not in idx["phases"]:
            c.problems.append(Problem(Path("knowledge"), None, "phases", f"phase {pid!r} missing"))


def _tables(c: _Collector) -> tuple[dict[tuple[str, str], m.MatrixCell], dict[str, m.FallbackCell]]:
    """The arrangement table: one cell per profile and phase, and a fallback per phase."""
    matrix: dict[tuple[str, str], m.MatrixCell] = {}
    for obj, o in c.items["matrix"]:
        key = (obj.profile, obj.phase)
        if key in matrix:
            c.fail(o, "phase", f"duplicate matrix cell {obj.profile} x {obj.phase}")
        matrix[key] = obj
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
    for phase in m.PHASES:
        if phase not in fallback:
            c.problems.append(Problem(Path("knowledge/matrix.yaml"), None, "fallback",
                                      f"fallback for {phase} is missing"))
    return matrix, fallback


def _check_learning(c: _Collector, idx: dict[str, dict[str, Any]]) -> None:
    for obj, o in c.items["vignettes"]:
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


def _check_contacts(c: _Collector, idx: dict[str, dict[str, Any]]) -> None:
    for obj, o in c.items["contacts"]:
        if obj.phone is not None and not all(ch.isdigit() or ch in " -+" for ch in obj.phone):
            c.fail(o, "phone", f"{obj.phone!r} is not a phone number")
        if not (obj.phone or obj.chat or obj.url):
            c.fail(o, "phone", "a contact needs at least a phone, chat or url")
        if obj.handout and not obj.client:
            c.fail(o, "client", "a contact on the client card needs its `client` line")
    for required in ("veilig_thuis", "112"):
        if required not in idx["contacts"]:
            c.problems.append(Problem(Path("knowledge/contacts"), None, "contacts",
                                      f"contact {required!r} is required"))


def _check_scoring(c: _Collector) -> None:
    scoring_entry = c.singletons.get("scoring")
    if scoring_entry is None:
        c.problems.append(Problem(Path("knowledge"), None, "scoring", "scoring is missing"))
        return
    scoring, o = scoring_entry
    for pid in EXPECTED_PROFILES:
        if pid not in scoring.signals:
            c.fail(o, "signals", f"no signals for profile {pid!r}")


def _check_exercise(c: _Collector, o: Origin, field: str, ex: m.Exercise) -> None:
    if len(ex.choices) < 2:
        c.fail(o, f"{field}.choices", "an exercise needs at least two choices")
    if sum(ch.correct for ch in ex.choices) != 1:
        c.fail(o, f"{field}.choices", "exactly one choice must be correct")


def _check_weighing(c: _Collector) -> None:
    """The afwegingskader walks its questions in order: numbered 1..n, every answer leads
    on, and a pre-filled answer is one the question can take."""
    for i, (obj, o) in enumerate(c.items["weighing"]):
        if obj.number != i + 1:
            c.fail(o, "number", f"questions are numbered in order: expected {i + 1}")
        for answer in set(ANSWERS) - set(obj.on):
            c.fail(o, "on", f"answer {answer!r} leads nowhere")
        for answer, target in obj.on.items():
            ahead = [q.id for q, _ in c.items["weighing"][i + 1:]]
            if target in {q.id for q, _ in c.items["weighing"]} and target not in ahead:
                c.fail(o, f"on.{answer}", f"{target!r} is not a later question")
        for kind, rules in (("prefill", obj.prefill), ("concerns", obj.concerns)):
            for j, rule in enumerate(rules):
                if not (rule.when.any_yes or rule.when.red_flags or rule.when.safety_below):
                    c.fail(o, f"{kind}.{j}.when", "needs any_yes, red_flags or safety_below")
    if c.items["weighing"] and "afwegingskader" not in c.singletons:
        c.problems.append(Problem(Path("knowledge"), None, "afwegingskader",
                                  "the weighing questions need their afwegingskader texts"))
