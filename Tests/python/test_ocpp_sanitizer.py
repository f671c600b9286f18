"""Every non-conformance the legacy sanitizer knows, as a raw frame a real legacy charger might send: the lenient
central system repairs it (or marks the value invalid) and says so; the strict one answers with a CALLERROR
naming the JSON path. The connection and the server survive either way."""
import json

import pytest

from ocpp_central import CentralSystemProcess, central, raw_exchange, run  # noqa: F401 (fixture)

STAMP = "2026-11-24T10:00:00Z"


def sampled(value, **fields):
    return {"value": value, "measurand": "Power.Active.Import", "unit": "kW", **fields}


def meter_values(*values, connector=1, timestamp=STAMP, as_object=False):
    meter_value = {"timestamp": timestamp, "sampledValue": list(values)}
    return ["MeterValues", {"connectorId": connector, "meterValue": meter_value if as_object else [meter_value]}]


# (name, version, [action, payload], repairs expected, what the first sampled value becomes: (value, unit) or None)
CASES = [
    ("unit inside the value", "ocpp1.6", meter_values(sampled("14.4kW")), {"unitInsideValue"}, (14.4, "kW")),
    ("unit and decimal comma", "ocpp1.6", meter_values(sampled("14,4 kW")), {"unitInsideValue", "decimalComma"},
     (14.4, "kW")),
    ("watts inside, no declared unit", "ocpp1.6", meter_values({"value": "7200 W", "measurand": "Power.Active.Import"}),
     {"unitInsideValue"}, (7200, "W")),
    ("blanks and a lower-case unit", "ocpp1.6", meter_values(sampled(" 11.04 kw ")),
     {"surroundingWhitespace", "unitInsideValue"}, (11.04, "kW")),
    ("decimal comma", "ocpp1.6", meter_values(sampled("14,4")), {"decimalComma"}, (14.4, "kW")),
    ("number where a string belongs", "ocpp1.6", meter_values(sampled(7.5)), {"numberWhereStringBelongs"}, (7.5, "kW")),
    ("string where a number belongs (2.0.1 value)", "ocpp2.0.1",
     ["MeterValues", {"evseId": 1, "meterValue": [{"timestamp": STAMP, "sampledValue": [
         {"value": "14.4", "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "kW"}}]}]}],
     {"stringWhereNumberBelongs"}, (14.4, "kW")),
    ("string where a number belongs (connectorId)", "ocpp1.6", meter_values(sampled("3.7"), connector="1"),
     {"stringWhereNumberBelongs"}, (3.7, "kW")),
    ("unit misspelt as the 1.6 schema allows", "ocpp1.6",
     meter_values({"value": "21.5", "measurand": "Temperature", "unit": "Celcius"}), {"unitSpelling"},
     (21.5, "Celsius")),
    ("unit outside the 1.6 list", "ocpp1.6", meter_values({"value": "50.01", "measurand": "Frequency", "unit": "Hz"}),
     {"unitSpelling"}, (50.01, "Hertz")),
    ("measurand in the wrong case", "ocpp1.6", meter_values(sampled("11", measurand="power.active.import")),
     {"measurandCase"}, (11, "kW")),
    ("meterValue as an object", "ocpp1.6", meter_values(sampled("11"), as_object=True), {"objectWhereArrayBelongs"},
     (11, "kW")),
    ("timestamp without a zone, no zone configured", "ocpp1.6", meter_values(sampled("11"), timestamp="2026-11-24T10:00:00"),
     {"timestampWithoutZone"}, (11, "kW")),
    ("empty timestamp", "ocpp1.6", meter_values(sampled("11"), timestamp=""), {"unreadableTimestamp"}, (11, "kW")),
    ("unreadable value", "ocpp1.6", meter_values(sampled("n/a")), {"unreadableValue"}, None),
    ("NaN", "ocpp1.6", meter_values(sampled("NaN")), {"unreadableValue"}, None),
    ("unit inside disagrees with the declared one", "ocpp1.6", meter_values(sampled("7200 W")),
     {"unitInsideValue", "unitConflict"}, None),
    ("status in the wrong case", "ocpp1.6",
     ["StatusNotification", {"connectorId": 1, "errorCode": "NoError", "status": "available"}], {"enumCase"}, None),
    ("error code in the wrong case", "ocpp1.6",
     ["StatusNotification", {"connectorId": 1, "errorCode": "noError", "status": "Available"}], {"enumCase"}, None),
    ("quoted connector and meter register in StartTransaction", "ocpp1.6",
     ["StartTransaction", {"connectorId": "1", "idTag": "TAG", "meterStart": "1250", "timestamp": STAMP}],
     {"stringWhereNumberBelongs"}, None),
    ("id tag as a number", "ocpp1.6", ["Authorize", {"idTag": 4711}], {"numberWhereStringBelongs"}, None),
]


def frame(message_id, action_payload):
    return json.dumps([2, message_id, *action_payload])


@pytest.mark.parametrize("name,version,call,repairs,value", CASES, ids=[c[0] for c in CASES])
def test_lenient_repairs_or_marks_invalid_and_reports(central, name, version, call, repairs, value):
    identity = "LEGACY-" + name.replace(" ", "-").replace("(", "").replace(")", "").replace(".", "")
    answers = run(raw_exchange(central.port, identity, version, [frame("m1", call)]))
    assert answers[0][0] == 3, answers[0]
    event = central.next_event(lambda e: e["event"] == "normalized" and e["charger"] == identity)
    assert {r["repair"] for r in event["repairs"]} == repairs, event["repairs"]
    assert all(r["path"].startswith("$.") for r in event["repairs"]), event["repairs"]
    if call[0] == "MeterValues":
        first = event["events"][0]["samples"][0]["values"][0]
        if value is None:
            assert first["value"] is None, first
        else:
            assert (first["value"], first["unit"]) == value, first
    central.send({"status": True})
    status = central.next_event(lambda e: e["event"] == "status")
    made = [r["repair"] for r in event["repairs"]]
    assert status["repairs"][identity] == {kind: made.count(kind) for kind in repairs}, status["repairs"][identity]


@pytest.fixture(scope="module")
def strict_central():
    process = CentralSystemProcess("--sanitizer", "strict")
    yield process
    process.stop()


@pytest.mark.parametrize("name,version,call,repairs,value", CASES, ids=[c[0] for c in CASES])
def test_strict_answers_with_a_callerror_naming_the_path(strict_central, name, version, call, repairs, value):
    answers = run(raw_exchange(strict_central.port, "STRICT", version, [frame("s1", call), frame("s2", ["Heartbeat", {}])]))
    error = answers[0]
    assert error[:2] == [4, "s1"], error
    assert error[2] in ("FormatViolation", "FormationViolation", "TypeConstraintViolation", "PropertyConstraintViolation",
                        "OccurenceConstraintViolation", "OccurrenceConstraintViolation"), error
    assert "$." in error[3], error
    # The connection goes on.
    assert answers[1][:2] == [3, "s2"], answers[1]
