"""Content checks for safety: conditions, relevance, declared formats, joint-work texts.

The loader calls `check_safety` after it has indexed everything. Each check names
file, line and field, so that content that could put a family at risk (a joint-format
offer without its declaration, a text that assumes joint work without a separate-only
wording) never loads.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from bot.kb import models as m

ANSWERS = ("yes", "no", "unknown")
YES_NO = ("yes", "no")
OVERRIDE = "override"


class ConditionChecker:
    """Checks the keys and values of conditions against the knowledge base."""

    def __init__(self, indicators: dict[str, Any], profiles: dict[str, Any]) -> None:
        self.indicators = indicators
        self.special: dict[str, tuple[str, ...]] = {
            "phase": m.PHASES, "primary": (*profiles, "none"), "coercive": YES_NO,
            "override": YES_NO,
        }

    def check(self, fail: Callable[[str, str], None], field: str, cond: m.Condition,
              special: Iterable[str] = ()) -> None:
        allowed_special = set(special)
        for key, values in cond.items():
            if key in allowed_special:
                allowed = self.special[key]
            elif key in self.indicators:
                allowed = ANSWERS
            else:
                extra = f" or one of {', '.join(sorted(allowed_special))}" if allowed_special else ""
                fail(f"{field}.{key}", f"unknown indicator id {key!r} (expected an indicator{extra})")
                continue
            for v in values:
                if v not in allowed:
                    fail(f"{field}.{key}", f"value must be one of {', '.join(allowed)}; got {v!r}")


def relevance_order(indicators: dict[str, m.Indicator],
                    fail: Callable[[str, str, str], None]) -> None:
    """relevant_when may only lean on other indicators, without cycles."""
    state: dict[str, int] = {}  # 1 visiting, 2 done

    def visit(ident: str, trail: tuple[str, ...]) -> None:
        if state.get(ident) == 2:
            return
        if state.get(ident) == 1:
            fail(ident, "relevant_when", "relevance is circular: " + " -> ".join((*trail, ident)))
            return
        state[ident] = 1
        for cond in indicators[ident].relevant_when:
            for key in cond:
                if key in indicators:
                    visit(key, (*trail, ident))
        state[ident] = 2

    for ident in indicators:
        visit(ident, ())


class JointText:
    """Recognises Dutch texts that assume joint work (regexes from knowledge/safety.yaml)."""

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = [re.compile(p, re.IGNORECASE) for p in patterns]

    def match(self, text: str | None) -> str | None:
        if not text:
            return None
        for p in self.patterns:
            found = p.search(" ".join(text.split()))
            if found:
                return found.group(0)
        return None


def check_variants(fail: Callable[[str, str], None], joint: JointText, defaults: dict[str, str],
                   assumes: Iterable[str], variants: tuple[Any, ...],
                   conditions: Callable[[str, m.Condition], None]) -> None:
    """A container's texts (defaults and variants) against its joint-work declaration.

    Every field declared in `assumes` needs a variant `when: {override: [yes]}` that
    rewords it, and every variant rewording it must say whether the override holds;
    override texts must not assume joint work; undeclared texts must not either.
    """
    declared = set(assumes)
    for name in declared:
        if not any(v.when == {OVERRIDE: ("yes",)} and getattr(v, name) for v in variants):
            fail(name, "assumes joint work: add a variant `when: {override: [yes]}` with a "
                       "separate-only wording of this field")
    for i, v in enumerate(variants):
        conditions(f"variants.{i}.when", v.when)
        for name in defaults:
            text = getattr(v, name)
            if text is None:
                continue
            under_override = v.when.get(OVERRIDE) == ("yes",)
            if name in declared and OVERRIDE not in v.when:
                fail(f"variants.{i}.when", f"{name} assumes joint work, so a variant that "
                                           "rewords it must say `override: [yes]` or `[no]`")
            hit = joint.match(text)
            if hit and (under_override or name not in declared):
                fail(f"variants.{i}.{name}", f"assumes joint work ({hit!r}); it is shown when "
                                             "the safety override may hold")
    for name, text in defaults.items():
        hit = joint.match(text)
        if hit and name not in declared:
            fail(name, f"text assumes joint work ({hit!r}): declare it in assumes_joint and "
                       "add an override variant")


def check_format(fail: Callable[[str, str], None], item: Any, safety: m.Safety) -> None:
    """A joint format must declare that it is unsafe with the override."""
    triggers = {t.id for t in safety.triggers}
    for i, value in enumerate(item.unsafe_with):
        if value != OVERRIDE and value not in triggers:
            fail(f"unsafe_with.{i}", f"must be 'override' or a safety trigger id; got {value!r}")
    if item.format in safety.joint_formats and OVERRIDE not in item.unsafe_with:
        fail("unsafe_with", f"format {item.format!r} brings the parties together: declare "
                            "unsafe_with: [override]")


def check_content(c: Any, idx: dict[str, dict[str, Any]]) -> None:
    """All safety-related checks; `c` is the loader's collector. Ids are declared as
    references on the schema and checked by the loader (`check_refs`)."""
    safety_entry = c.singletons.get("safety")
    cond = ConditionChecker(idx["indicators"], idx["profiles"])
    if safety_entry is None:
        c.problems.append(_problem("knowledge", "safety", "safety.yaml (the override) is missing"))
        return
    safety, so = safety_entry
    for i, t in enumerate(safety.triggers):
        fail = _at(c, so, f"triggers.{i}.")
        for j, w in enumerate(t.when):
            cond.check(fail, f"when.{j}", w, special=("coercive",))
        if not t.when:
            fail("when", "a trigger needs at least one condition")
    for i, pattern in enumerate(safety.joint_phrases):
        try:
            re.compile(pattern)
        except re.error as exc:
            c.fail(so, f"joint_phrases.{i}", f"not a regular expression: {exc}")
    joint = JointText(safety.joint_phrases)

    for obj, o in c.items["indicators"]:
        for j, w in enumerate(obj.relevant_when):
            cond.check(_at(c, o), f"relevant_when.{j}", w)
            if obj.id in w:
                c.fail(o, f"relevant_when.{j}", "an indicator cannot depend on itself")
    origins = {obj.id: o for obj, o in c.items["indicators"]}
    relevance_order(idx["indicators"], lambda ident, f, msg: c.fail(origins[ident], f, msg))

    for key in ("offers", "measures"):
        for obj, o in c.items[key]:
            check_format(_at(c, o), obj, safety)

    special = ("phase", "primary", "coercive", "override")
    for obj, o in c.items["matrix"] + c.items["fallback"]:
        fail = _at(c, o)
        check_variants(fail, joint, {"focus": obj.focus, "next_step": obj.next_step},
                       obj.assumes_joint, obj.variants, _conditions(cond, fail, special))
        for i, sw in enumerate(getattr(obj, "regie_switch", ())):
            cond.check(fail, f"regie_switch.{i}.when", sw.when, ("coercive", "override"))
    for obj, o in c.items["profiles"]:
        fail = _at(c, o)
        check_variants(fail, joint, {"core": obj.core, "talk": obj.talk}, obj.assumes_joint,
                       obj.variants, _conditions(cond, fail, special))
        for i, use in enumerate(obj.protection):
            hit = joint.match(use.note)
            if hit:
                fail(f"protection.{i}.note", f"assumes joint work ({hit!r})")
    for obj, o in c.items["rules"]:
        fail = _at(c, o)
        cond.check(fail, "when", obj.when, special)
        _check_note(fail, joint, obj.note, obj.assumes_joint, obj.separate_note, "note",
                    "separate_note")
    for obj, o in c.items["out_of_scope"]:
        fail = _at(c, o)
        if obj.replaces and (obj.regie is None or obj.next_step is None):
            fail("replaces", "a route that replaces the arrangement needs regie and next_step")
        for text_field in ("route", "next_step"):
            hit = joint.match(getattr(obj, text_field))
            if hit:
                fail(text_field, f"assumes joint work ({hit!r})")
    handout_entry = c.singletons.get("handout")
    if handout_entry is not None:
        h, ho = handout_entry
        for i, sec in enumerate(h.sections):
            fail = _at(c, ho, f"sections.{i}.")
            _check_note(fail, joint, sec.body, sec.assumes_joint, sec.separate, "body",
                        "separate")
            _check_note(fail, joint, sec.simple, sec.assumes_joint, sec.separate_simple,
                        "simple", "separate_simple")


def _at(c: Any, origin: Any, prefix: str = "") -> Callable[[str, str], None]:
    """A fail function bound to one item (and a field prefix)."""
    def fail(field: str, message: str) -> None:
        c.fail(origin, prefix + field, message)
    return fail


def _conditions(cond: ConditionChecker, fail: Callable[[str, str], None],
                special: tuple[str, ...]) -> Callable[[str, m.Condition], None]:
    def check(field: str, when: m.Condition) -> None:
        cond.check(fail, field, when, special)
    return check


def _check_note(fail: Callable[[str, str], None], joint: JointText, text: str, assumes: bool,
                separate: str | None, field: str, separate_field: str) -> None:
    hit = joint.match(text)
    if hit and not assumes:
        fail(field, f"text assumes joint work ({hit!r}): set assumes_joint and give "
                    f"{separate_field}")
    if assumes and not separate:
        fail(separate_field, "assumes_joint needs a separate-only wording")
    hit = joint.match(separate)
    if hit:
        fail(separate_field, f"the separate-only wording assumes joint work ({hit!r})")


def _problem(file: str, field: str, message: str) -> Any:
    from pathlib import Path

    from bot.kb.errors import Problem

    return Problem(Path(file), None, field, message)
