#!/usr/bin/env python3
"""The peer for the OCPP message benchmark: the `ocpp` Python package doing the same work on the same frame
as ocpp809's `OCPPMessages` benchmark — read the frame, validate the payload against the official 1.6 schema,
and convert each sampled value to a float (stripping a unit suffix, as a lenient gateway must). One core.

    python3 Benchmarks/ocpp_peer.py [iterations]
"""
import re
import statistics
import sys
import time

from ocpp.messages import _validate_payload, unpack

FRAME = ('[2,"19223201","MeterValues",{"connectorId":1,"transactionId":42,"meterValue":[{"timestamp":'
         '"2026-11-24T10:00:00Z","sampledValue":[{"value":"14.4kW","measurand":"Power.Active.Import","unit":"kW"},'
         '{"value":"12345.6","measurand":"Energy.Active.Import.Register","unit":"kWh"},{"value":"230.1",'
         '"measurand":"Voltage","phase":"L1","unit":"V"},{"value":"31.9","measurand":"Current.Import","phase":"L1",'
         '"unit":"A"},{"value":"22","measurand":"Power.Offered","unit":"kW"},{"value":"35","measurand":"Temperature",'
         '"unit":"Celsius","location":"Body"}]}]}]')
NUMBER = re.compile(r"^\s*([-+]?\d+(?:[.,]\d+)?)")


def once():
    message = unpack(FRAME)
    # What ocpp's async validate_payload runs (in an executor by default); called directly to measure the work.
    _validate_payload(message, "1.6")
    values = []
    for meter_value in message.payload["meterValue"]:
        for sample in meter_value["sampledValue"]:
            match = NUMBER.match(sample["value"])
            values.append(float(match.group(1).replace(",", ".")) if match else None)
    return values


def main():
    iterations = int(sys.argv[1]) if len(sys.argv) > 1 else 20_000
    once()
    runs = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(iterations):
            once()
        runs.append((time.perf_counter() - start) / iterations * 1e6)
    median = statistics.median(runs)
    from importlib.metadata import version
    print(f"ocpp {version('ocpp')} "
          f"1.6 MeterValues, 6 values: parse + validate + convert: {median:.1f} µs/message "
          f"(median of 5 × {iterations}; {1e6 / median:,.0f} messages/s on one core)")


if __name__ == "__main__":
    main()
