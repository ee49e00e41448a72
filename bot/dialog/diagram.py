"""A Mermaid state diagram generated from the shared machine (not drawn by hand)."""

from __future__ import annotations

from bot.dialog.machine import ACUTE, END, RESTART, DialogMachine

GLOBAL = (RESTART, ACUTE, END)


def mermaid(dm: DialogMachine) -> str:
    lines = ["stateDiagram-v2", f"    [*] --> {dm.dialog.start}"]
    seen: set[tuple[str, str | None, str]] = set()
    for name, event in dm.machine.events.items():
        if name in GLOBAL:
            continue
        for source, transitions in event.transitions.items():
            for t in transitions:
                label = name if not t.conditions else f"{name} (if relevant)"
                key = (source, t.dest, label)
                if key not in seen:
                    seen.add(key)
                    lines.append(f"    {source} --> {t.dest}: {label}")
    lines.append(f"    note right of {dm.dialog.acute}: reachable from every state (acute, /nood)")
    lines.append(f"    {dm.dialog.end} --> [*]")
    return "\n".join(lines) + "\n"
