"""Mermaid state diagrams generated from the shared machines (never drawn by hand)."""

from __future__ import annotations

from collections.abc import Callable, Collection

from bot.ui.machine import SharedMachine


def mermaid(m: SharedMachine, *, everywhere: Collection[str] = (), final: str | None = None,
            notes: Collection[str] = (),
            hide: Callable[[str, str, str | None], bool] | None = None) -> str:
    """The machine's states and transitions. Triggers in `everywhere` go from every state
    (acute help, restart...) and are named in a note instead of drawn from each state;
    `hide(trigger, source, dest)` leaves out edges a note describes instead."""
    lines = ["stateDiagram-v2", f"    [*] --> {m.initial}"]
    seen: set[tuple[str, str | None, str]] = set()
    for name, event in m.machine.events.items():
        if name in everywhere:
            continue
        for source, transitions in event.transitions.items():
            for t in transitions:
                if hide is not None and hide(name, source, t.dest):
                    continue
                label = name if not t.conditions else f"{name} (if relevant)"
                key = (source, t.dest, label)
                if key not in seen:
                    seen.add(key)
                    lines.append(f"    {source} --> {t.dest}: {label}")
    for note in notes:
        lines.append(f"    {note}")
    if final is not None:
        lines.append(f"    {final} --> [*]")
    return "\n".join(lines) + "\n"
