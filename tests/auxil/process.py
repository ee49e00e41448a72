"""Run the unmodified bot (`python -m bot`) as a child process against the fake Bot API."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from dataclasses import dataclass, field

from fakebot.server import FakeBotApi
from tests.auxil import region
from tests.conftest import ROOT


@dataclass
class BotProcess:
    api: FakeBotApi
    extra_env: dict[str, str] = field(default_factory=dict)
    proc: asyncio.subprocess.Process | None = None
    stdout: str = ""
    stderr: str = ""

    def env(self) -> dict[str, str]:
        return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(ROOT),
                "TELEGRAM_BOT_TOKEN": self.api.token, "TELEGRAM_API_BASE_URL": self.api.base_url,
                "BESCHERMWIJZER_LOG_LEVEL": "DEBUG", "TELEGRAM_POLL_TIMEOUT": "2",
                **region.ENV, **self.extra_env}

    async def spawn(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", cwd=ROOT, env=self.env(), stdin=asyncio.subprocess.DEVNULL,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)

    async def start(self) -> None:
        mark = self.api.mark()
        await self.spawn()
        # deleteWebhook is the last call before long polling starts (getUpdates is only
        # recorded when it returns).
        await self.api.wait_for(lambda c: c.method == "deleteWebhook", timeout=30, since=mark)

    async def exited(self, timeout: float = 30) -> int:
        """Wait for the process to end by itself; returns its exit code."""
        assert self.proc is not None
        out, err = await asyncio.wait_for(self.proc.communicate(), timeout=timeout)
        self.stdout += out.decode(errors="replace")
        self.stderr += err.decode(errors="replace")
        assert self.proc.returncode is not None
        return self.proc.returncode

    async def stop(self, sig: int = signal.SIGTERM) -> int:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.send_signal(sig)
        out, err = await asyncio.wait_for(self.proc.communicate(), timeout=30)
        self.stdout += out.decode(errors="replace")
        self.stderr += err.decode(errors="replace")
        code = self.proc.returncode
        assert code is not None
        return code
