"""Region packs: contacts and regional offers per region, in knowledge/regions/<region>/.

The rule (knowledge/README.md, "Region packs"):

- National content (every file outside knowledge/regions/) may name an item of any region
  pack by its id, in any list of references or an optional reference. When that region is
  not loaded the reference is left out, silently: a profile lists one offer fewer, a
  glossary entry one related item fewer. A required single reference cannot name a
  regional item (nothing could take its place).
- A pack refers only to national items and its own.
- Ids are unique across the national content and every pack, so a reference names one
  item wherever it lives, and a typo is still an unknown id.
- A folder whose name starts with `_` is a template: never loaded as a region.

The loader reads the other packs too (not loading them) to tell a regional id from a
typo; `python -m bot check` loads each pack in turn with the national content.
"""

from __future__ import annotations

import dataclasses
import types
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, Any, Union, get_args, get_origin

from bot.kb.errors import Problem
from bot.kb.schema import Ref, Reference, hints, ref_of

REGIONS = "regions"
TEMPLATE_MARK = "_"
PACK_COLLECTIONS = ("contacts", "offers", "terms")  # what a pack may hold, besides `pack`
PACK_KEY = "pack"

# collection -> id -> (region, item): the items of the packs that are not loaded
Elsewhere = dict[str, dict[str, tuple[str, Any]]]
# (field, value, region) for a reference that cannot be left out
Report = Callable[[str, str, str], None]


def packs_root(directory: Path) -> Path:
    return directory / REGIONS


def region_packs(directory: Path) -> dict[str, Path]:
    """Every real region pack: region id -> folder."""
    root = packs_root(directory)
    if not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir())
            if p.is_dir() and not p.name.startswith(TEMPLATE_MARK)}


def templates(directory: Path) -> list[Path]:
    root = packs_root(directory)
    if not root.is_dir():
        return []
    return [p for p in sorted(root.iterdir()) if p.is_dir() and p.name.startswith(TEMPLATE_MARK)]


def is_regional(path: Path, directory: Path) -> bool:
    return path.is_relative_to(packs_root(directory))


def pack_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


def find(value: str, target: Ref, loaded: dict[str, dict[str, Any]],
         elsewhere: Elsewhere) -> tuple[str, Any] | None:
    """The pack item (region, item) a reference names, when it names no loaded item."""
    if any(value in loaded.get(c, {}) for c in target.collections):
        return None
    for collection in target.collections:
        hit = elsewhere.get(collection, {}).get(value)
        if hit is not None:
            return hit
    return None


class Pruner:
    """Leaves out references to items of packs that are not loaded (national content), and
    reports those that cannot be left out."""

    def __init__(self, loaded: dict[str, dict[str, Any]], elsewhere: Elsewhere) -> None:
        self.loaded = loaded
        self.elsewhere = elsewhere
        self.left_out = 0  # references left out, for `check`

    def _hit(self, value: Any, tp: Any) -> tuple[str, Any] | None:
        target = ref_of(tp)
        if target is None or not isinstance(value, str):
            return None
        return find(value, target, self.loaded, self.elsewhere)

    def prune(self, value: Any, tp: Any, at: str, report: Report) -> Any:
        """`value` (of schema type `tp`) without its references to regional items not loaded."""
        if value is None:
            return None
        origin = get_origin(tp)
        if origin is Annotated:
            hit = self._hit(value, tp)
            if hit is not None:
                report(at, value, hit[0])  # a required reference
                return value
            return self.prune(value, get_args(tp)[0], at, report)
        if origin in (Union, types.UnionType):
            options = [o for o in get_args(tp) if o is not type(None)]
            if len(options) == 1:
                if self._hit(value, options[0]) is not None:  # optional: simply absent
                    self.left_out += 1
                    return None
                return self.prune(value, options[0], at, report)
            return value  # unions of plain values hold no references
        if origin is tuple and isinstance(value, tuple):
            item_tp = get_args(tp)[0]
            kept = []
            for i, item in enumerate(value):
                if self._hit(item, item_tp) is not None:
                    self.left_out += 1
                    continue
                kept.append(self.prune(item, item_tp, f"{at}.{i}", report))
            return value if kept == list(value) else tuple(kept)
        if origin is dict and isinstance(value, dict):
            val_tp = get_args(tp)[1]
            out = {k: self.prune(v, val_tp, f"{at}.{k}", report) for k, v in value.items()}
            return value if all(out[k] is value[k] for k in value) else out
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            changes = {}
            for f in dataclasses.fields(value):
                old = getattr(value, f.name)
                where = f"{at}.{f.name}" if at else f.name
                new = self.prune(old, hints(type(value))[f.name], where, report)
                if new is not old:
                    changes[f.name] = new
            return dataclasses.replace(value, **changes) if changes else value
        return value

    def regional_refs(self, value: Any, tp: Any, at: str, report: Report) -> None:
        """Report every reference of a pack's item to another pack."""
        origin = get_origin(tp)
        if value is None:
            return
        if origin is Annotated:
            hit = self._hit(value, tp)
            if hit is not None:
                report(at, value, hit[0])
                return
            self.regional_refs(value, get_args(tp)[0], at, report)
        elif origin in (Union, types.UnionType):
            options = [o for o in get_args(tp) if o is not type(None)]
            if len(options) == 1:
                self.regional_refs(value, options[0], at, report)
        elif origin is tuple and isinstance(value, tuple):
            for i, item in enumerate(value):
                self.regional_refs(item, get_args(tp)[0], f"{at}.{i}", report)
        elif origin is dict and isinstance(value, dict):
            for k, v in value.items():
                self.regional_refs(v, get_args(tp)[1], f"{at}.{k}", report)
        elif dataclasses.is_dataclass(value) and not isinstance(value, type):
            for f in dataclasses.fields(value):
                where = f"{at}.{f.name}" if at else f.name
                self.regional_refs(getattr(value, f.name), hints(type(value))[f.name], where,
                                   report)


def apply_rule(c: Any, elsewhere: Elsewhere) -> None:
    """Apply the rule (above) to the loader's collector `c`: unique ids across packs;
    national references to a pack not loaded are left out; a pack refers to no other pack."""
    for key in PACK_COLLECTIONS:
        for obj, o in c.items[key]:
            hit = elsewhere[key].get(obj.id)
            if hit is not None:
                c.fail(o, "id", f"id {obj.id!r} is also used in region {hit[0]!r}: ids are "
                                "unique across the national content and every region pack")
    if not any(elsewhere.values()):
        return
    loaded: dict[str, dict[str, Any]] = {
        key: {str(obj.id): obj for obj, _ in items if hasattr(obj, "id")}
        for key, items in c.items.items()}
    pruner = Pruner(loaded, elsewhere)

    def reporter(o: Any) -> Report:
        def report(field: str, value: str, region: str) -> None:
            if o.pack is None:
                c.fail(o, field, f"{value!r} is an item of region {region!r}: a required "
                                 "reference must name national content")
            else:
                c.fail(o, field, f"{value!r} is an item of region {region!r}: a region pack "
                                 "refers only to national items and its own")
        return report

    for items in c.items.values():
        for i, (obj, o) in enumerate(items):
            if o.pack is None:
                items[i] = (pruner.prune(obj, type(obj), "", reporter(o)), o)
            else:
                pruner.regional_refs(obj, type(obj), "", reporter(o))
    for key, (obj, o) in list(c.singletons.items()):
        if o.pack is None:
            c.singletons[key] = (pruner.prune(obj, type(obj), "", reporter(o)), o)
        else:
            pruner.regional_refs(obj, type(obj), "", reporter(o))
    c.left_out = pruner.left_out
    # references into packs not loaded are settled above; a kind must still match
    kept: list[Reference] = []
    for r in c.refs:
        hit = find(r.value, r.target, loaded, elsewhere)
        if hit is None:
            kept.append(r)
        elif r.target.kind is not None and getattr(hit[1], "kind", None) != r.target.kind:
            noun = r.target.collections[0].removesuffix("s")
            c.problems.append(Problem(r.file, r.line, r.field, f"{noun} {r.value!r} is "
                                      f"{hit[1].kind}, not {r.target.kind}"))
    c.refs = kept
