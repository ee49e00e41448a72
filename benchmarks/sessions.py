"""Sessions under a flood of /start from fresh chats (issue 17): cost per update and memory.

200,000 distinct chats each send /start through the command layer (bot/ui/chat.py), so
each gets a session with a consultation model attached to the shared machine, as on
Telegram. Reported: the time per 10,000 new sessions at the start and at the end, the
resident memory at the cap and at the end (it must stay flat past the cap), a probe
/start (command and render) with few sessions and with the store full, and a sweep of a
full store with nothing expired.

Runs in a fresh process (`python -m benchmarks.sessions` prints JSON) so that resident
memory is this benchmark's alone.
"""

from __future__ import annotations

import gc
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
CHATS = 200_000
BLOCK = 10_000
CAP = 50_000  # the default of BESCHERMWIJZER_MAX_SESSIONS
PROBES = 300
REGION = "zaanstreek_waterland"


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc; ru_maxrss elsewhere, a peak)."""
    statm = Path("/proc/self/statm")
    if statm.exists():
        pages = int(statm.read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE") / 2**20
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(chats: int = CHATS, cap: int = CAP) -> dict[str, Any]:
    from bot.core import build_core
    from bot.kb import load_knowledge

    core = build_core(load_knowledge(region=REGION), max_sessions=cap)
    chat, render = core.chat, core.renderer

    def probe(prefix: str) -> float:
        """Median milliseconds of a /start from a chat never seen, rendered as Telegram would."""
        times = []
        for i in range(PROBES):
            t0 = time.perf_counter()
            reply = chat.command(f"{prefix}{i}", "start")
            render.render(reply.screens[-1], reply.lang)
            times.append(time.perf_counter() - t0)
        return statistics.median(times) * 1000

    for i in range(1_000):  # warm caches (catalogs, compiled texts) before anything is timed
        chat.command(f"warm{i}", "start")
    probe_start = probe("probe-start-")
    gc.collect()
    rss_start = rss_mb()
    blocks: list[float] = []
    rss: dict[int, float] = {}
    t_block = time.perf_counter()
    for i in range(chats):
        chat.command(f"chat{i}", "start")
        if (i + 1) % BLOCK == 0:
            blocks.append(time.perf_counter() - t_block)
            if (i + 1) % cap == 0:
                gc.collect()
                rss[i + 1] = rss_mb()
            t_block = time.perf_counter()
    probe_end = probe("probe-end-")
    t0 = time.perf_counter()
    swept = core.sessions.sweep()  # a full store, nothing expired: stops at the first session
    sweep_ms = (time.perf_counter() - t0) * 1000
    assert swept == 0
    live = len(core.sessions)
    assert live == cap == core.machine.model_count, "the cap holds and no model is left behind"
    at_cap, at_end = rss[cap], rss[max(rss)]
    return {
        "sessions_created": chats,
        "sessions_cap": cap,
        "sessions_live_at_end": live,
        "sessions_evicted": core.sessions.evicted,
        "sessions_s_per_10k_first": round(blocks[0], 3),
        "sessions_s_per_10k_last": round(blocks[-1], 3),
        "sessions_s_per_10k": [round(b, 3) for b in blocks],
        "sessions_rss_mb_start": round(rss_start, 1),
        "sessions_rss_mb": {str(k): round(v, 1) for k, v in sorted(rss.items())},
        "sessions_rss_mb_past_cap": round(at_end - at_cap, 1),
        "sessions_probe_start_ms_first": round(probe_start, 3),
        "sessions_probe_start_ms_last": round(probe_end, 3),
        "sessions_sweep_full_store_ms": round(sweep_ms, 3),
    }


def run() -> dict[str, Any]:
    """The measurement in a fresh process."""
    out = subprocess.run([sys.executable, "-m", "benchmarks.sessions"], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


if __name__ == "__main__":
    chats = int(os.environ.get("BENCH_SESSIONS", str(CHATS)))
    print(json.dumps(measure(chats)))
