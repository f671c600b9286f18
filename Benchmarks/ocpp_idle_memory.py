#!/usr/bin/env python3
"""Memory per idle charger connection: `ocpp809 ocpp serve` (release build) with N WebSocket connections open
and idle, its resident set read from /proc before and after. Loopback only.

    python3 Benchmarks/ocpp_idle_memory.py .build/release/ocpp809 [connections]
"""
import asyncio
import json
import resource
import subprocess
import sys
import threading

import websockets


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


async def main(binary, connections):
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, connections + 500), hard))
    server = subprocess.Popen([binary, "ocpp", "serve", "--listen", "127.0.0.1:0",
                               "--max-connections", str(connections + 100)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    port = int(json.loads(server.stdout.readline())["address"].rsplit(":", 1)[1])
    # The command prints a line per connection; read them so its output never blocks.
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    sockets = []
    try:
        # Warm up: one connection and message, so lazily built state is not counted per connection.
        warm = await websockets.connect(f"ws://127.0.0.1:{port}/WARM", subprotocols=["ocpp1.6"])
        await warm.send(json.dumps([2, "w", "Heartbeat", {}]))
        await warm.recv()
        await asyncio.sleep(1)
        before = rss_kb(server.pid)
        gate = asyncio.Semaphore(32)

        async def one(n):
            async with gate:
                sockets.append(await websockets.connect(f"ws://127.0.0.1:{port}/IDLE{n:05}",
                                                        subprotocols=["ocpp1.6"], open_timeout=60))

        await asyncio.gather(*(one(n) for n in range(connections)))
        await asyncio.sleep(2)
        after = rss_kb(server.pid)
        per = (after - before) * 1024 / connections
        print(f"{connections} idle connections: RSS {before / 1024:.1f} MB → {after / 1024:.1f} MB, "
              f"{per / 1024:.1f} KB per connection")
    finally:
        for ws in sockets:
            ws.transport.abort()
        server.kill()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 10_000))
