"""In-process measurements: start-up, the assessment alone, rendering alone, memory per idle
session."""

from __future__ import annotations

import gc
import random
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STARTUP_SNIPPET = """
import time
t0 = time.perf_counter()
from bot.core import build_core
build_core()
print(time.perf_counter() - t0)
"""


def startup_s(runs: int = 5) -> float:
    """Fresh process each time: imports, knowledge load and validation, dialog, catalogs."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", STARTUP_SNIPPET], cwd=ROOT, check=True,
                             capture_output=True, text=True).stdout
        times.append(float(out.strip().splitlines()[-1]))
    return statistics.median(times)


def assess_p99_us(samples: int = 20_000) -> dict[str, float]:
    from bot.assess import Answers, assess
    from bot.assess.answers import Answer
    from bot.kb import load_knowledge

    kb = load_knowledge()
    rng = random.Random(4)
    ids = list(kb.indicators)
    answer_sets = []
    for _ in range(500):
        choices: tuple[Answer, ...] = ("yes", "no", "unknown")
        values = {i: rng.choice(choices) for i in rng.sample(ids, rng.randint(3, 40))}
        answer_sets.append(Answers(values, rng.choice([None, *range(11)])))
    timings = []
    for i in range(samples):
        answers = answer_sets[i % len(answer_sets)]
        t0 = time.perf_counter_ns()
        assess(answers, kb)
        timings.append((time.perf_counter_ns() - t0) / 1000)
    timings.sort()
    return {"assess_p50_us": statistics.median(timings),
            "assess_p99_us": timings[int(len(timings) * 0.99) - 1]}


def render_p99_us(rounds: int = 20) -> dict[str, float]:
    """Rendering one screen (message ids to text and keyboard, Dutch, HTML) on its own.

    The screens are those of consultations to the result card and through its sections.
    `render_p99_us` is the renderer's work without its cache of rendered screens (the
    cost of a screen seen for the first time, templates translated already);
    `render_cached_p50_us` is what the bot pays per screen in a steady state.
    """
    from bot.core import build_core
    from bot.ui import actions as act
    from bot.ui.render import Renderer

    core = build_core()
    screens = []
    for index, answers in enumerate(("n", "y"), start=1):
        s = core.sessions.open(f"render{index}", "nl")
        screen = core.consultation.begin(s)
        for _ in range(60):
            screens.append(screen)
            actions = screen.actions()
            if act.OPEN("approach") in actions:
                break
            pick = next((a for a in (act.CONTINUE, act.DONE, act.SCALE(7), answers) if a in actions),
                        None) or sorted(actions)[0]
            screen = core.consultation.act(s, pick)
        for item in sorted(a for a in screen.actions() if act.OPEN.arg(a) is not None):
            screens.append(core.consultation.act(s, item))
    cold, warm = Renderer(core.catalogs, kept_screens=0), core.renderer
    for screen in screens:  # translate every template once: the steady state of a bot
        cold.render(screen, "nl", "html")
        warm.render(screen, "nl", "html")
    timings: list[float] = []
    cached: list[float] = []
    for _ in range(rounds):
        for screen in screens:
            t0 = time.perf_counter_ns()
            cold.render(screen, "nl", "html")
            timings.append((time.perf_counter_ns() - t0) / 1000)
            t0 = time.perf_counter_ns()
            warm.render(screen, "nl", "html")
            cached.append((time.perf_counter_ns() - t0) / 1000)
    timings.sort()
    return {"render_p50_us": statistics.median(timings),
            "render_p99_us": timings[int(len(timings) * 0.99) - 1],
            "render_cached_p50_us": statistics.median(cached), "render_screens": len(screens)}


def bytes_per_session(sessions: int = 10_000) -> float:
    """tracemalloc difference for 10,000 sessions, each a few answers into a consultation."""
    from bot.core import build_core

    core = build_core()
    gc.collect()
    tracemalloc.start()
    before = tracemalloc.take_snapshot()
    for i in range(sessions):
        s = core.sessions.open(f"chat{i}", "nl")
        core.consultation.begin(s)
        for action in ("n", "y", "t:0", "d"):  # safe now, children, partners: done
            core.consultation.act(s, action)
        s.remember_message(i)
    gc.collect()
    after = tracemalloc.take_snapshot()
    tracemalloc.stop()
    grown = sum(stat.size_diff for stat in after.compare_to(before, "filename"))
    assert len(core.sessions) == sessions == core.machine.model_count
    return grown / sessions
