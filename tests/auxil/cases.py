"""Check an assessment JSON against a public case's `expect` block."""

from __future__ import annotations

from typing import Any

EXACT = ("phase", "coercive_control", "call_112")
ARRANGEMENT_EXACT = ("regie", "conversations")


def mismatches(result: dict[str, Any], expect: dict[str, Any]) -> list[str]:
    """Every way `result` differs from `expect` (empty list: the case passes)."""
    problems: list[str] = []
    arrangement = result["arrangement"]
    for key in EXACT:
        if key in expect and result[key] != expect[key]:
            problems.append(f"{key}: expected {expect[key]!r}, got {result[key]!r}")
    for key in ARRANGEMENT_EXACT:
        if key in expect and arrangement[key] != expect[key]:
            problems.append(f"{key}: expected {expect[key]!r}, got {arrangement[key]!r}")
    if "primary_in" in expect and result["primary"] not in expect["primary_in"]:
        problems.append(f"primary: expected one of {expect['primary_in']}, got {result['primary']}")
    for key, field in (("partners", "partners"), ("protection", "protection")):
        for ident in expect.get(f"{key}_include", []):
            if ident not in arrangement[field]:
                problems.append(f"{field} lacks {ident!r}")
        for ident in expect.get(f"{key}_exclude", []):
            if ident in arrangement[field]:
                problems.append(f"{field} must not contain {ident!r}")
    for ident in expect.get("red_flags_include", []):
        if ident not in result["red_flags"]:
            problems.append(f"red_flags lacks {ident!r}")
    known = {*EXACT, *ARRANGEMENT_EXACT, "primary_in", "partners_include", "partners_exclude",
             "protection_include", "protection_exclude", "red_flags_include"}
    problems += [f"unsupported expectation {k!r}" for k in expect if k not in known]
    return problems
