"""Runs `ocpp809 ocpp serve` for the OCPP interop tests and talks to it: its JSON-line events, its stdin."""
import asyncio
import base64
import json
import queue
import subprocess
import threading

import pytest
import websockets

from conftest import BIN, ROOT

TLS = ROOT / "Tests" / "Fixtures" / "tls"
TIMEOUT = 5


class CentralSystemProcess:
    """The serve command with its JSON-line standard output collected on a thread."""

    def __init__(self, *extra, tls=False, listeners=None):
        """`tls`: also a wss:// listener with the test PKI's server certificate, asking for client certificates;
        `listeners`: how many listening lines to wait for, when the site itself configures TLS."""
        tls_options = ["--tls-listen", "127.0.0.1:0", "--tls-certificate", str(TLS / "server.pem"),
                       "--tls-key", str(TLS / "server.key"), "--tls-client-ca", str(TLS / "ca.pem")] if tls else []
        self.process = subprocess.Popen([str(BIN), "ocpp", "serve", "--listen", "127.0.0.1:0", *tls_options, *extra],
                                        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                        text=True)
        self.lines = queue.Queue()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        ports = {}
        for _ in range(listeners or (2 if tls else 1)):
            listening = self.next_event(lambda e: e["event"] == "listening")
            ports[listening["tls"]] = int(listening["address"].rsplit(":", 1)[1])
        self.port = ports[False]
        self.tls_port = ports.get(True)

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(json.loads(line))

    def next_event(self, predicate, timeout=TIMEOUT):
        while True:
            event = self.lines.get(timeout=timeout)
            if predicate(event):
                return event

    def send(self, obj):
        self.process.stdin.write(json.dumps(obj) + "\n")
        self.process.stdin.flush()

    def stop(self):
        self.process.kill()
        self.process.wait(timeout=TIMEOUT)
        self.reader.join(timeout=TIMEOUT)
        self.process.stdin.close()
        self.process.stdout.close()


@pytest.fixture
def central():
    """A central system without rule files: every identity welcome, lenient sanitizer, no time zone."""
    process = CentralSystemProcess()
    yield process
    process.stop()


def run(coroutine):
    return asyncio.run(asyncio.wait_for(coroutine, 20))


async def handshake_status(port, path, headers=None, tls=None):
    """The HTTP status of an upgrade attempt (101 when it succeeded); over wss:// when `tls` (an SSLContext) is given."""
    scheme = "wss" if tls else "ws"
    try:
        async with websockets.connect(f"{scheme}://127.0.0.1:{port}/{path}", subprotocols=["ocpp1.6"],
                                      additional_headers=headers or {}, ssl=tls):
            return 101
    except websockets.exceptions.InvalidStatus as error:
        return error.response.status_code


def basic(user, password):
    return {"Authorization": "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()}


async def raw_exchange(port, path, protocol, frames):
    """Sends each frame as it is and returns the answers, parsed."""
    async with websockets.connect(f"ws://127.0.0.1:{port}/{path}", subprotocols=[protocol]) as ws:
        answers = []
        for frame in frames:
            await ws.send(frame)
            answers.append(json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT)))
        return answers
