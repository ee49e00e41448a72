"""The region the tests run with: Zaanstreek-Waterland, where the report's cases are from.

Tests pin it explicitly (the bot itself loads national content only unless
BESCHERMWIJZER_REGION names a pack): in-process through the knowledge they load and the
environment conftest.py sets for every test, and in child processes through their env.
"""

from __future__ import annotations

from functools import cache

from bot.kb import Knowledge, load_knowledge

REGION = "zaanstreek_waterland"
ENV = {"BESCHERMWIJZER_REGION": REGION}


@cache
def knowledge() -> Knowledge:
    return load_knowledge(region=REGION)
