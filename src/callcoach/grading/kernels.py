"""The kernel manager ``callcoach grade`` gives nbgrader: jupyter_client's, less its idle waits.

Profiling one learner showed about 0.3 s of every ~1.2 s spent waiting with nothing
running, in two fixed sleeps of jupyter_client 8:

* ``wait_for_ready`` ends by reading IOPub until it has been quiet for 0.2 s.
  :class:`GradingKernelClient` instead waits for the exact ``idle`` status of its own
  ``kernel_info`` request: that proves IOPub is connected (no output can be lost) and
  that nothing of the start-up is left on it, without the fixed 0.2 s. (It also never
  waits a whole second for an answer IOPub missed while connecting: it asks again.)
* ``shutdown_kernel(now=True)`` kills the kernel, then polls every 0.1 s until it is
  gone. :class:`GradingKernelManager` kills it and reaps it at once (a killed process
  is gone in milliseconds), so the poll finds it dead the first time.

Use with ``c.Execute.kernel_manager_class = "callcoach.grading.kernels.GradingKernelManager"``
and ``c.Execute.shutdown_kernel = "immediate"`` (the sandbox is thrown away anyway).
"""
from __future__ import annotations

import subprocess
import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from traitlets import DottedObjectName, Type


class GradingKernelClient(AsyncKernelClient):
    async def wait_for_ready(self, timeout: float | None = None) -> None:
        """Return once the kernel answers ``kernel_info`` and IOPub has shown its ``idle``.

        IOPub subscribes on its own, so it can miss the first answers while it connects:
        then ask again, a tenth of a second later.
        """
        deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
        while True:
            msg_id = self.kernel_info()
            if (await _seen(self.get_shell_msg, msg_id, "kernel_info_reply", 1.0)
                    and await _seen(self.get_iopub_msg, msg_id, "status", 0.1)):
                return
            if not await self.is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.monotonic() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")


async def _seen(get_msg, msg_id: str, msg_type: str, timeout: float) -> bool:
    """Read a channel until the answer to ``msg_id`` (for status: ``idle``) or ``timeout``."""
    end = time.monotonic() + timeout
    try:
        while True:
            msg = await get_msg(timeout=max(0.0, end - time.monotonic()))
            if (msg["parent_header"].get("msg_id") == msg_id and msg["msg_type"] == msg_type
                    and msg["content"].get("execution_state", "idle") == "idle"):
                return True
    except Empty:
        return False


class GradingKernelManager(AsyncKernelManager):
    client_class = DottedObjectName("callcoach.grading.kernels.GradingKernelClient")
    client_factory = Type(klass=GradingKernelClient, default_value=GradingKernelClient, config=True)

    async def shutdown_kernel(self, now: bool = False, restart: bool = False) -> None:
        process = getattr(self.provisioner, "process", None)
        if now and process is not None:
            await self.provisioner.kill(restart=restart)
            try:
                process.wait(timeout=2)  # reaped: jupyter_client's first poll finds it gone
            except subprocess.TimeoutExpired:
                pass
        await super().shutdown_kernel(now=now, restart=restart)
