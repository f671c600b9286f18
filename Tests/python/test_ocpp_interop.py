"""`ocpp809 ocpp serve` against real charger clients: the `ocpp` package (mobilityhouse) over `websockets`,
in OCPP 1.6J and 2.0.1, plus raw frames that a conformant client would never send."""
import asyncio
import json

import pytest
import websockets
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201

from ocpp_central import TIMEOUT, CentralSystemProcess, basic, central, handshake_status, raw_exchange, run  # noqa: F401 (fixture)


def test_v16_charger_boots_sends_meter_values_and_starts_a_transaction(central):
    async def charger():
        async with websockets.connect(f"ws://127.0.0.1:{central.port}/ocpp/CP%20001", subprotocols=["ocpp1.6"]) as ws:
            assert ws.subprotocol == "ocpp1.6"
            cp = ChargePoint16("CP 001", ws)
            task = asyncio.create_task(cp.start())
            boot = await cp.call(call16.BootNotification(charge_point_model="M", charge_point_vendor="V"))
            values = await cp.call(call16.MeterValues(connector_id=1, meter_value=[{
                "timestamp": "2026-11-24T10:00:00Z",
                "sampledValue": [{"value": "14.4", "measurand": "Power.Active.Import", "unit": "kW"}]}]))
            first = await cp.call(call16.StartTransaction(connector_id=1, id_tag="TAG", meter_start=0,
                                                          timestamp="2026-11-24T10:00:00Z"))
            second = await cp.call(call16.StartTransaction(connector_id=2, id_tag="TAG", meter_start=0,
                                                           timestamp="2026-11-24T10:00:01Z"))
            task.cancel()
            return boot, values, first, second

    boot, values, first, second = run(charger())
    assert boot.status == "Accepted" and boot.interval > 0 and boot.current_time.endswith("Z")
    assert values is not None
    assert first.id_tag_info["status"] == "Accepted"
    assert first.transaction_id != second.transaction_id
    connected = central.next_event(lambda e: e["event"] == "connected")
    assert connected == {"event": "connected", "charger": "CP 001", "version": "ocpp1.6"}
    meter = central.next_event(lambda e: e["event"] == "call" and e["action"] == "MeterValues")
    assert meter["payload"]["meterValue"][0]["sampledValue"][0]["value"] == "14.4"


def test_v201_charger_gets_version_in_client_order_and_standard_answers(central):
    async def charger():
        async with websockets.connect(f"ws://127.0.0.1:{central.port}/CP2",
                                      subprotocols=["ocpp2.0.1", "ocpp1.6"]) as ws:
            assert ws.subprotocol == "ocpp2.0.1"
            cp = ChargePoint201("CP2", ws)
            task = asyncio.create_task(cp.start())
            boot = await cp.call(call201.BootNotification(charging_station={"model": "M", "vendor_name": "V"},
                                                          reason="PowerUp"))
            beat = await cp.call(call201.Heartbeat())
            event = await cp.call(call201.TransactionEvent(
                event_type="Started", timestamp="2026-11-24T10:00:00Z", trigger_reason="Authorized", seq_no=0,
                transaction_info={"transaction_id": "T1"}))
            task.cancel()
            return boot, beat, event

    boot, beat, event = run(charger())
    assert boot.status == "Accepted"
    assert beat.current_time
    assert event is not None


def meter_values_frame(message_id, value):
    return json.dumps([2, message_id, "MeterValues", {"connectorId": 1, "meterValue": [
        {"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": value, "measurand": "Power.Active.Import",
                                                                "unit": "kW"}]}]}])


def test_schema_violations_and_unknown_actions_get_the_right_callerror(central):
    frames = [
        json.dumps([2, "m1", "MeterValues", {"connectorId": "one", "meterValue": [
            {"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": "1"}]}]}]),
        json.dumps([2, "m2", "FrobnicateCharger", {}]),
        json.dumps([2, "m3", "StatusNotification", {"connectorId": 1, "status": "Charging"}]),
    ]
    answers = run(raw_exchange(central.port, "CP3", "ocpp1.6", frames))
    assert answers[0][:3] == [4, "m1", "TypeConstraintViolation"]
    assert "$.connectorId" in answers[0][3]
    assert answers[1][:3] == [4, "m2", "NotImplemented"]
    assert answers[2][:2] == [4, "m3"] and answers[2][2] == "OccurenceConstraintViolation", answers[2]
    violation = central.next_event(lambda e: e["event"] == "schema_violation")
    assert violation["violations"][0]["path"] == "$.connectorId"


def test_legacy_values_are_repaired_and_reported_never_invented(central):
    frames = [meter_values_frame("l1", "14.4kW"), meter_values_frame("l2", 7.5), meter_values_frame("l3", "n/a")]
    answers = run(raw_exchange(central.port, "LEGACY1", "ocpp1.6", frames))
    assert [a[0] for a in answers] == [3, 3, 3], answers
    events = [central.next_event(lambda e: e["event"] == "normalized" and e["action"] == "MeterValues")
              for _ in frames]
    values = [e["events"][0]["samples"][0]["values"][0] for e in events]
    assert (values[0]["value"], values[0]["unit"], values[0]["repairs"]) == (14.4, "kW", ["unitInsideValue"])
    assert (values[1]["value"], values[1]["repairs"]) == (7.5, ["numberWhereStringBelongs"])
    assert values[2]["value"] is None and values[2]["raw"] == "n/a" and values[2]["repairs"] == ["unreadableValue"]
    assert events[0]["repairs"] == [{"path": "$.meterValue[0].sampledValue[0].value", "repair": "unitInsideValue"}]
    run(raw_exchange(central.port, "LEGACY1", "ocpp1.6", [meter_values_frame("l4", "9.9kW")]))
    central.send({"status": True})
    status = central.next_event(lambda e: e["event"] == "status")
    assert status["repairs"]["LEGACY1"] == {"unitInsideValue": 2, "numberWhereStringBelongs": 1, "unreadableValue": 1}


def test_strict_sanitizer_refuses_what_lenient_repairs():
    strict = CentralSystemProcess("--sanitizer", "strict")
    try:
        answers = run(raw_exchange(strict.port, "STRICT1", "ocpp1.6",
                                   [meter_values_frame("s1", 7.5), meter_values_frame("s2", "14.4kW")]))
        assert answers[0][:2] == [4, "s1"] and "$.meterValue[0].sampledValue[0].value" in answers[0][3], answers[0]
        assert answers[1][:2] == [4, "s2"] and "$.meterValue[0].sampledValue[0].value" in answers[1][3], answers[1]
    finally:
        strict.stop()


def test_unreadable_frames_follow_each_version(central):
    v201 = run(raw_exchange(central.port, "CP4", "ocpp2.0.1", ["not json", json.dumps([7, "x9", "Heartbeat", {}])]))
    assert v201[0][:3] == [4, "-1", "RpcFrameworkError"]
    assert v201[1][:3] == [4, "x9", "MessageTypeNotSupported"]
    # 1.6 answers a broken CALL with its own spelling, and ignores what has no readable id.
    v16 = run(raw_exchange(central.port, "CP5", "ocpp1.6", [json.dumps([2, "c1", "Heartbeat", "oops"])]))
    assert v16[0][:3] == [4, "c1", "FormationViolation"]


def test_outgoing_call_reaches_the_charger_and_its_answer_comes_back(central):
    async def charger():
        async with websockets.connect(f"ws://127.0.0.1:{central.port}/CP6", subprotocols=["ocpp1.6"]) as ws:
            await ws.send(json.dumps([2, "b1", "Heartbeat", {}]))
            assert json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))[0] == 3
            central.send({"to": "CP6", "call": "TriggerMessage", "payload": {"requestedMessage": "StatusNotification"}})
            request = json.loads(await asyncio.wait_for(ws.recv(), TIMEOUT))
            assert request[0] == 2 and request[2] == "TriggerMessage"
            assert request[3] == {"requestedMessage": "StatusNotification"}
            await ws.send(json.dumps([3, request[1], {"status": "Accepted"}]))
            outcome = await asyncio.to_thread(central.next_event, lambda e: e["event"] == "outcome")
            return outcome

    outcome = run(charger())
    assert outcome["outcome"] == "result" and outcome["payload"] == {"status": "Accepted"}
    central.send({"to": "NOBODY", "call": "TriggerMessage", "payload": {}})
    assert central.next_event(lambda e: e["event"] == "outcome")["outcome"] == "disconnected"


# ============================================================================================ admission

@pytest.fixture
def site_central(monkeypatch):
    from conftest import ROOT
    monkeypatch.setenv("OCPP809_TEST_BASIC1_KEY", "s3cret:with-colon")
    process = CentralSystemProcess(str(ROOT / "Tests" / "python" / "fixtures" / "chargers.yaml"))
    yield process
    process.stop()


def test_site_admission_by_identity_and_security_profile(site_central):
    port = site_central.port
    assert run(handshake_status(port, "ocpp/OPEN1")) == 101
    assert run(handshake_status(port, "ocpp/NOBODY")) == 404
    assert run(handshake_status(port, "ocpp/BASIC1")) == 401
    assert run(handshake_status(port, "ocpp/BASIC1", basic("BASIC1", "wrong"))) == 401
    assert run(handshake_status(port, "ocpp/BASIC1", basic("OTHER", "s3cret:with-colon"))) == 401
    assert run(handshake_status(port, "ocpp/BASIC1", basic("BASIC1", "s3cret:with-colon"))) == 101
    # Profile 2 needs TLS: even the right password is refused on plain ws, with 403 and no Basic challenge.
    assert run(handshake_status(port, "ocpp/TLS1", basic("TLS1", "s3cret:with-colon"))) == 403


def test_per_charger_sanitizer_policy_from_the_site(site_central):
    frame = json.dumps([2, "p1", "MeterValues", {"connectorId": 1, "meterValue": [
        {"timestamp": "2026-11-24T10:00:00Z", "sampledValue": [{"value": "14.4kW"}]}]}])
    lenient = run(raw_exchange(site_central.port, "OPEN1", "ocpp1.6", [frame]))
    strict = run(raw_exchange(site_central.port, "STRICT1", "ocpp1.6", [frame]))
    assert lenient[0][0] == 3
    assert strict[0][:2] == [4, "p1"]


# ============================================================================================ requests to chargers

from ocpp.routing import on  # noqa: E402
from ocpp.v16 import call_result as result16  # noqa: E402
from ocpp.v201 import call_result as result201  # noqa: E402


class Charger16(ChargePoint16):
    """Answers the central system's requests as a conformant 1.6 charger; the ocpp package validates them."""
    received = []

    @on("SetChargingProfile")
    def set_profile(self, connector_id, cs_charging_profiles, **_):
        self.received.append(("SetChargingProfile", connector_id, cs_charging_profiles))
        return result16.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    def clear_profile(self, **kwargs):
        self.received.append(("ClearChargingProfile", kwargs))
        return result16.ClearChargingProfile(status="Unknown")

    @on("GetCompositeSchedule")
    def composite(self, connector_id, duration, **_):
        self.received.append(("GetCompositeSchedule", connector_id, duration))
        return result16.GetCompositeSchedule(status="Accepted")

    @on("TriggerMessage")
    def trigger(self, requested_message, **_):
        self.received.append(("TriggerMessage", requested_message))
        return result16.TriggerMessage(status="Accepted")


class Charger201(ChargePoint201):
    """The same as a 2.0.1 charging station."""
    received = []

    @on("SetChargingProfile")
    def set_profile(self, evse_id, charging_profile, **_):
        self.received.append(("SetChargingProfile", evse_id, charging_profile))
        return result201.SetChargingProfile(status="Accepted")

    @on("ClearChargingProfile")
    def clear_profile(self, **kwargs):
        self.received.append(("ClearChargingProfile", kwargs))
        return result201.ClearChargingProfile(status="Accepted")

    @on("GetCompositeSchedule")
    def composite(self, duration, evse_id, **_):
        self.received.append(("GetCompositeSchedule", evse_id, duration))
        return result201.GetCompositeSchedule(status="Rejected")

    @on("GetVariables")
    def variables(self, get_variable_data, **_):
        self.received.append(("GetVariables", get_variable_data))
        return result201.GetVariables(get_variable_result=[
            {"attribute_status": "Accepted", "component": {"name": "EVSE"}, "variable": {"name": "Power"},
             "attribute_value": "22000"}])


REQUESTS = [
    {"SetChargingProfile": {"evse": 0, "limit": 11000.04, "unit": "W", "purpose": "ChargePointMaxProfile"}},
    {"ClearChargingProfile": {"profile_id": 1}},
    {"GetCompositeSchedule": {"evse": 1, "duration": 600}},
]


def exchange_requests(central, identity, protocol, charger_class, requests):
    async def charger():
        async with websockets.connect(f"ws://127.0.0.1:{central.port}/{identity}", subprotocols=[protocol]) as ws:
            cp = charger_class(identity, ws)
            task = asyncio.create_task(cp.start())
            # Requests go to chargers the central system has registered, as the runtime's would.
            await asyncio.to_thread(central.next_event, lambda e: e["event"] == "connected" and e["charger"] == identity)
            outcomes = []
            for request in requests:
                central.send({"to": identity, "request": request})
                outcomes.append(await asyncio.to_thread(central.next_event, lambda e: e["event"] == "outcome"))
            task.cancel()
            return outcomes
    return run(charger())


def test_v16_charger_accepts_our_charging_profile_requests(central):
    Charger16.received = []
    requests = REQUESTS + [{"TriggerMessage": {"message": "MeterValues", "evse": 1}}]
    outcomes = exchange_requests(central, "REQ16", "ocpp1.6", Charger16, requests)
    assert [o["accepted"] for o in outcomes] == [True, False, True, True], outcomes
    assert "rejected(status: \"Unknown\"" in outcomes[1]["outcome"]
    name, connector, profile = Charger16.received[0]
    assert (name, connector) == ("SetChargingProfile", 0)
    assert profile["charging_profile_purpose"] == "ChargePointMaxProfile"
    assert profile["charging_schedule"]["charging_rate_unit"] == "W"
    assert profile["charging_schedule"]["charging_schedule_period"][0]["limit"] == 11000.0


def test_v201_station_accepts_our_requests_and_getvariables(central):
    Charger201.received = []
    requests = [
        {"SetChargingProfile": {"evse": 1, "limit": 16, "unit": "A", "phases": 3,
                                "purpose": "ChargingStationExternalConstraints"}},
        {"ClearChargingProfile": {"profile_id": 1}},
        {"GetCompositeSchedule": {"evse": 1, "duration": 600}},
        {"GetVariables": {"variables": [["EVSE", "Power"]]}},
    ]
    outcomes = exchange_requests(central, "REQ201", "ocpp2.0.1", Charger201, requests)
    assert [o["accepted"] for o in outcomes] == [True, True, False, True], outcomes
    name, evse, profile = Charger201.received[0]
    assert (name, evse) == ("SetChargingProfile", 1)
    schedule = profile["charging_schedule"][0]
    assert schedule["charging_rate_unit"] == "A" and schedule["charging_schedule_period"][0]["number_phases"] == 3
    assert Charger201.received[3][1] == [{"component": {"name": "EVSE"}, "variable": {"name": "Power"}}]


# ============================================================================================ hostile input

def test_oversize_frame_wrong_subprotocol_and_garbage_leave_the_server_serving(central):
    async def attempts():
        results = {}
        async with websockets.connect(f"ws://127.0.0.1:{central.port}/BIG1", subprotocols=["ocpp1.6"],
                                      max_size=None) as ws:
            await ws.send("[" + " " * (70 * 1024) + "]")
            try:
                await asyncio.wait_for(ws.recv(), TIMEOUT)
            except websockets.exceptions.ConnectionClosed as closed:
                results["oversize"] = closed.rcvd.code if closed.rcvd else None
        try:
            async with websockets.connect(f"ws://127.0.0.1:{central.port}/P1", subprotocols=["ocpp9.9"]):
                results["subprotocol"] = 101
        except websockets.exceptions.InvalidStatus as error:
            results["subprotocol"] = error.response.status_code
        results["garbage"] = await raw_exchange(central.port, "G1", "ocpp2.0.1", ["\x00\x01{{{", "[2,"])
        results["after"] = await raw_exchange(central.port, "G1", "ocpp1.6", [json.dumps([2, "h", "Heartbeat", {}])])
        return results

    results = run(attempts())
    assert results["oversize"] == 1009
    assert results["subprotocol"] == 400
    assert [answer[:3] for answer in results["garbage"]] == [[4, "-1", "RpcFrameworkError"]] * 2
    assert results["after"][0][:2] == [3, "h"]


def test_a_retransmitted_call_is_answered_again_not_processed_twice(central):
    start = json.dumps([2, "dup-1", "StartTransaction", {"connectorId": 1, "idTag": "TAG", "meterStart": 0,
                                                         "timestamp": "2026-11-24T10:00:00Z"}])
    answers = run(raw_exchange(central.port, "DUP1", "ocpp1.6", [start, start]))
    assert answers[0] == answers[1], "the same transaction id both times"
    calls = []
    central.send({"status": True})
    while True:
        event = central.next_event(lambda e: e["event"] in ("call", "status"))
        if event["event"] == "status":
            break
        calls.append(event)
    assert [c["id"] for c in calls if c["charger"] == "DUP1"] == ["dup-1"], "handled once"
    assert event["repairs"]["DUP1"] == {"duplicateMessageId": 1}


# ============================================================================================ many chargers

def test_two_thousand_chargers_stay_connected_and_are_all_answered():
    import resource
    chargers = 2000
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    needed = chargers + 200
    if hard != resource.RLIM_INFINITY and hard < needed:
        pytest.skip(f"the machine allows only {hard} open files per process; {needed} are needed")
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, needed) if hard == resource.RLIM_INFINITY
                                                else min(max(soft, needed), hard), hard))
    central = CentralSystemProcess("--max-connections", str(chargers + 100))
    try:
        async def fleet():
            handshakes = asyncio.Semaphore(32)  # the server admits 64 handshakes in flight
            sockets = []

            async def one(n):
                async with handshakes:
                    ws = await websockets.connect(f"ws://127.0.0.1:{central.port}/ocpp/FLEET{n:04}",
                                                  subprotocols=["ocpp1.6"], open_timeout=20)
                sockets.append(ws)
                answers = []
                for k in range(3):
                    await ws.send(meter_values_frame(f"{n}-{k}", f"{n % 23}.{k}kW"))
                    answers.append(json.loads(await asyncio.wait_for(ws.recv(), 20)))
                return answers

            results = await asyncio.gather(*(one(n) for n in range(chargers)))
            central.send({"status": True})
            status = await asyncio.to_thread(central.next_event, lambda e: e["event"] == "status", 20)
            await asyncio.gather(*(ws.close() for ws in sockets))
            return results, status

        results, status = asyncio.run(asyncio.wait_for(fleet(), 120))
        assert all(answer[0] == 3 for answers in results for answer in answers)
        assert len(status["connected"]) == chargers
        assert sum(counts.get("unitInsideValue", 0) for counts in status["repairs"].values()) == chargers * 3
    finally:
        central.stop()
