#!/usr/bin/env python3
"""The peer in the IEC 104 throughput comparison: lib60870-C's station (through the c104 bindings) sends
M_ME_TF_1 events to the same master ocpp809's harness uses (IEC104Throughput --connect), 1 and 16 objects
per ASDU. Python only feeds the station's queue; lib60870's own thread sends, and the master measures.

    python3 Benchmarks/iec104_peer.py .build-bench/release/IEC104Throughput [events] [runs]
"""
import json
import statistics
import subprocess
import sys
import time

import c104

PORT = 24404


def run(binary, events, per_asdu):
    server = c104.Server(ip="127.0.0.1", port=PORT, tick_rate_ms=50, max_connections=1)
    station = server.add_station(common_address=1)
    points = [station.add_point(io_address=1000 + i, type=c104.Type.M_ME_TF_1) for i in range(1000)]
    server.start()
    master = subprocess.Popen([binary, "--connect", str(PORT), str(events)], stdout=subprocess.PIPE, text=True)
    try:
        assert master.stdout.readline().strip() == "ready"
        deadline = time.time() + 5
        while not server.has_active_connections and time.time() < deadline:
            time.sleep(0.01)
        sent = 0
        while sent < events:
            group = [points[(sent + i) % len(points)] for i in range(per_asdu)]
            for offset, point in enumerate(group):
                point.value = float(sent + offset)
            if per_asdu == 1:
                ok = group[0].transmit(cause=c104.Cot.SPONTANEOUS)
            else:
                ok = server.transmit_batch(c104.Batch(cause=c104.Cot.SPONTANEOUS, points=group))
            if not ok:
                time.sleep(0.0005)  # lib60870's queue is full: wait for the link instead of overwriting events
                continue
            sent += per_asdu
        result = json.loads(master.stdout.readline())
    finally:
        master.wait(timeout=30)
        server.stop()
    return result


def main():
    binary = sys.argv[1]
    events = int(sys.argv[2]) if len(sys.argv) > 2 else 200_000
    runs = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    print(f"lib60870 (c104 {c104.__version__ if hasattr(c104, '__version__') else ''}) station → ocpp809 master, "
          f"{events} M_ME_TF_1 events per run, median of {runs} runs")
    for per_asdu in (1, 16):
        results = [run(binary, events, per_asdu) for _ in range(runs)]
        rates = sorted(r["asdus"] / r["seconds"] for r in results)
        median = statistics.median(rates)
        lost = [events - r["objects"] for r in results]
        print(f"{per_asdu:2d} object(s)/ASDU: {median:9.0f} ASDU/s  {median * per_asdu:10.0f} objects/s  "
              f"(ASDU/s of each run: {' '.join(f'{x:.0f}' for x in rates)}; objects not received: {lost})")


if __name__ == "__main__":
    main()
