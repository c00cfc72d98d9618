"""An SMTP sink on loopback for benchmarks/submissions.py (aiosmtpd): counts deliveries by Message-ID.

One recorder can listen on several ports (one per outbox worker), so the script knows which worker is in
which SMTP conversation. Each port can be slowed down at the RCPT step (before any message data is sent),
and tells when a conversation is waiting there: a worker killed at that moment has not delivered the
message it was sending, so an exactly-once check stays exact.
"""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from email.parser import BytesHeaderParser

from aiosmtpd.controller import Controller


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.message_ids: Counter[str] = Counter()
        self.by_port: Counter[int] = Counter()

    def record(self, port: int, content: bytes) -> None:
        headers = BytesHeaderParser().parsebytes(content)
        message_id = (headers.get("Message-ID") or "").strip()
        with self.lock:
            self.message_ids[message_id] += 1
            self.by_port[port] += 1

    def snapshot(self) -> tuple[Counter[str], Counter[int]]:
        with self.lock:
            return Counter(self.message_ids), Counter(self.by_port)

    @property
    def total(self) -> int:
        with self.lock:
            return sum(self.message_ids.values())


class _Handler:
    def __init__(self, recorder: Recorder, port: int) -> None:
        self.recorder = recorder
        self.port = port
        self.rcpt_delay = 0.0
        self.waiting_in_rcpt = threading.Event()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.rcpt_delay:
            self.waiting_in_rcpt.set()
            try:
                await asyncio.sleep(self.rcpt_delay)
            finally:
                self.waiting_in_rcpt.clear()
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.recorder.record(self.port, envelope.original_content or envelope.content)
        return "250 Message accepted for delivery"


class Port:
    """One listening port of the sink; start() and stop() keep the port number (down = connection refused)."""

    def __init__(self, recorder: Recorder, port: int) -> None:
        self.port = port
        self.handler = _Handler(recorder, port)
        self._controller: Controller | None = None

    def start(self) -> None:
        if self._controller is None:
            self._controller = Controller(self.handler, hostname="127.0.0.1", port=self.port)
            self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None
