"""`ocpp809 run` end to end, with real peers only: chargers are the `ocpp` package's ChargePoint classes (1.6 and
2.0.1) over `websockets`, the SCADA master is c104 (lib60870-C). The site is rules/default.yaml as shipped:

  CP001–CP003  ac22-legacy (1.6): power derived from the energy register (min_interval 5 s), IOA base 1000/1100/1200
  CP004–CP007  ac22 (1.6 + 2.0.1): Power.Active.Import → kW, deadband 0.1, IOA base 1300/1400/1500/1600
  CP008–CP010  dc150 (2.0.1): evse 0 main meter, occupancy per EVSE, NotifyEvent overload, IOA base 1700/1800/1900
  site: IOA 10 site_power_kw (sum of power_kw), IOA 20 site_limit_kw (C_SE_NC_1, shared out equally)

Every assertion is on what went over the wire: the APDUs c104 received (decoded by iec104_station), the CALLs the
chargers received (raw, before the ocpp package routed them), and the admin API's answers."""
import asyncio
import datetime
import re
import time

import c104
from ocpp.v16 import call as call16
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from gateway_process import (  # noqa: F401  (harness is a fixture)
    C_SE_NB_1, C_SE_NC_1, M_DP_TB_1, M_IT_NA_1, M_ME_NC_1, M_ME_TF_1, M_SP_TB_1, TYPE_IDS, UNTIMED, arrival_time,
    by_ioa, counter_interrogate, harness, interrogate, iso, objects, scaled_setpoint, site_points, utc_now,
    wait_object,
)
from iec104_station import (
    C_IC_NA_1, COT_ACT_CON, COT_ACT_TERM, COT_COUNTER_GENERAL, COT_SPONTANEOUS, COT_STATION, QDS_IV, QDS_NT,
    wait_until,
)

CA = 1


def close_to(a, b, tolerance=1e-3):
    return abs(a - b) <= tolerance * max(1.0, abs(b))


def command_replies(master, type_id, start):
    """The command's confirmations (ACT_CON, ACT_TERM) up to its ACT_TERM or negative ACT_CON."""
    return [a for a in master.wait_cycle(type_id, start, timeout=8) if a.type == type_id]


def setpoint(master, ioa, type_id, value, select=False):
    """Sends a set-point (c104 DIRECT or SELECT_AND_EXECUTE); returns (transmit's result, the confirmations)."""
    mode = c104.CommandMode.SELECT_AND_EXECUTE if select else c104.CommandMode.DIRECT
    kind = c104.Type.C_SE_NB_1 if type_id == C_SE_NB_1 else c104.Type.C_SE_NC_1
    point = master.station.get_point(io_address=ioa) or master.point(ioa, kind, mode)
    point.command_mode = mode
    point.value = c104.Int16(int(value)) if type_id == C_SE_NB_1 else float(value)
    mark = master.mark()
    result = point.transmit(cause=c104.Cot.ACTIVATION)
    return result, command_replies(master, type_id, mark)


def confirmations(replies):
    return [(a.cause, a.negative) for a in replies]


def profile_16(payload):
    """(connectorId, purpose, stackLevel, rate unit, first period) of a 1.6 SetChargingProfile."""
    profile = payload["csChargingProfiles"]
    schedule = profile["chargingSchedule"]
    return (payload["connectorId"], profile["chargingProfilePurpose"], profile["stackLevel"],
            schedule["chargingRateUnit"], schedule["chargingSchedulePeriod"][0])


# ============================================================================================ 1–3. 1.6 meter values

def test_v16_power_reaches_scada_as_float_with_the_samples_time_tag(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    taken = utc_now(-1.234)  # sampled a little before it was sent: the tag must be the sample's, not arrival's
    mark = master.mark()
    cp.meter_values("14.4", unit="kW", timestamp=taken)

    asdu, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert asdu.cause == COT_SPONTANEOUS and not asdu.negative and asdu.ca == CA, asdu
    assert close_to(obj.value, 14.4, 1e-6), asdu
    assert obj.quality == 0, f"a good reading must have good quality: {asdu}"
    assert not obj.time.invalid, obj.time
    assert obj.time.datetime() == taken, f"time tag {obj.time.datetime()} is not the sample's timestamp {taken}"
    time.sleep(0.3)
    assert len(objects(master, 1300, start=mark)) == 1, f"one reading, one report:\n{master.dump(mark)}"

    # The connector state is a double point: Charging → on (2), Available → off (1), Faulted → indeterminate (3).
    for status, expected in (("Charging", 2), ("Available", 1), ("Faulted", 3)):
        stamped = utc_now(-0.1)
        mark = master.mark()
        cp.call(call16.StatusNotification(connector_id=1, error_code="NoError" if status != "Faulted" else
                                          "GroundFailure", status=status, timestamp=iso(stamped)))
        asdu, obj = wait_object(master, 1302, M_DP_TB_1, mark, what=f"IOA 1302 after {status}")
        assert obj.value == expected and obj.quality == 0, f"{status} must be DPI {expected}: {asdu}"
        assert obj.time.datetime() == stamped, (status, obj.time)


def test_legacy_value_with_unit_inside_is_repaired_not_zeroed(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")

    mark = master.mark()
    cp.meter_values("14.4kW", unit="kW")  # the field story: unit inside the value string
    _, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert close_to(obj.value, 14.4, 1e-6) and obj.quality == 0, obj

    mark = master.mark()
    cp.meter_values("11kW", unit=None)  # no unit field: the unit inside the value is the only one
    _, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert close_to(obj.value, 11.0, 1e-6) and obj.quality == 0, \
        f"'11kW' without a unit field must read as 11 kW (not Wh, the 1.6 default): {obj}"

    mark = master.mark()
    cp.meter_values(7.5, unit="kW", skip_schema_validation=True)  # a number where 1.6 wants a string
    _, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert close_to(obj.value, 7.5, 1e-6) and obj.quality == 0, obj

    metrics = gw.admin("GET", "/metrics")[2]
    repairs = [line for line in metrics.splitlines()
               if line.startswith("ocpp_sanitizer_repairs_total") and "unitInsideValue" in line and "CP004" in line]
    assert repairs and float(repairs[0].rsplit(" ", 1)[1]) >= 2, f"repairs not counted:\n{metrics}"


def test_unreadable_value_keeps_the_last_value_flagged_invalid(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    mark = master.mark()
    cp.meter_values("14.4", unit="kW")
    wait_object(master, 1300, M_ME_TF_1, mark, predicate=lambda o: o.quality == 0)

    mark = master.mark()
    cp.meter_values("abc", unit="kW")
    asdu, obj = wait_object(master, 1300, M_ME_TF_1, mark, what="IOA 1300 flagged IV after an unreadable value")
    assert obj.quality & QDS_IV, f"an unreadable value must be reported IV: {asdu}"
    assert close_to(obj.value, 14.4, 1e-6), f"the last value must be kept, never a made-up number: {asdu}"
    cp.meter_values("N/A", unit="kW")
    time.sleep(0.3)
    made_up = [(a, o) for a, o in objects(master, 1300, start=mark) if o.value == 0.0]
    assert made_up == [], f"a value of 0 was invented: {made_up}"
    entry = gw.point(1300)
    assert "IV" in entry["quality"] and close_to(entry["value"], 14.4, 1e-6), entry

    mark = master.mark()
    cp.meter_values("9.0", unit="kW")
    _, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert close_to(obj.value, 9.0, 1e-6) and obj.quality == 0, f"a readable value makes the point good again: {obj}"


# ============================================================================================ 4. 2.0.1 charger

def test_v201_meter_status_and_notify_event(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP008", "2.0.1")

    taken = utc_now(-0.5)
    mark = master.mark()
    cp.meter_values(75.5, unit="W", multiplier=3, evse=0, timestamp=taken)  # 75.5 × 10³ W
    asdu, obj = wait_object(master, 1700, M_ME_TF_1, mark)
    assert close_to(obj.value, 75.5, 1e-6) and obj.quality == 0, f"75.5e3 W must be 75.5 kW: {asdu}"
    assert obj.time.datetime() == taken, obj.time

    mark = master.mark()
    cp.call(call201.StatusNotification(timestamp=iso(utc_now()), connector_status="Occupied", evse_id=1,
                                       connector_id=1))
    asdu, obj = wait_object(master, 1702, M_SP_TB_1, mark)
    assert obj.value is True and obj.quality == 0, asdu
    assert objects(master, 1703, start=mark) == [], "EVSE 1's status must not move EVSE 2's point"

    def overload(event_id, cleared):
        data = {"eventId": event_id, "timestamp": iso(utc_now()), "trigger": "Alerting",
                "actualValue": "false" if cleared else "true", "eventNotificationType": "HardWiredNotification",
                "component": {"name": "ChargingStation"}, "variable": {"name": "Overload"}}
        if cleared:
            data["cleared"] = True
        return call201.NotifyEvent(generated_at=iso(utc_now()), seq_no=0, event_data=[data])

    mark = master.mark()
    cp.call(overload(1, cleared=False))
    asdu, obj = wait_object(master, 1705, M_SP_TB_1, mark)
    assert obj.value is True and obj.quality == 0, f"overload raised must set IOA 1705: {asdu}"
    assert abs((obj.time.datetime() - utc_now()).total_seconds()) < 5, obj.time
    mark = master.mark()
    cp.call(overload(2, cleared=True))
    asdu, obj = wait_object(master, 1705, M_SP_TB_1, mark)
    assert obj.value is False and obj.quality == 0, f"overload cleared must reset IOA 1705: {asdu}"


# ============================================================================================ 5. legacy 1.6 charger

def test_legacy_charger_power_derived_from_register_counters_status_and_vendor_alarm(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP001")

    t0 = utc_now(-60)
    readings = [(0, 12000), (10, 12030), (12, 12040), (20, 12060)]  # (seconds after t0, Wh)
    mark = master.mark()
    for offset, wh in readings:
        cp.meter_values(str(wh), measurand="Energy.Active.Import.Register", unit="Wh", context="Sample.Periodic",
                        timestamp=t0 + datetime.timedelta(seconds=offset))
    # 30 Wh in 10 s = 10.8 kW; the reading 2 s later (18 kW) is held by min_interval 5 s; 20 Wh in 8 s = 9 kW.
    wait_until(lambda: len(objects(master, 1000, M_ME_TF_1, COT_SPONTANEOUS, mark)) >= 2, 4,
               message=lambda: f"two derived powers at IOA 1000:\n{master.dump(mark)}")
    time.sleep(0.3)
    derived = objects(master, 1000, M_ME_TF_1, COT_SPONTANEOUS, mark)
    assert [round(o.value, 3) for _, o in derived] == [10.8, 9.0], derived
    assert [o.time.datetime() for _, o in derived] == [t0 + datetime.timedelta(seconds=10),
                                                       t0 + datetime.timedelta(seconds=20)], derived
    assert all(o.quality == 0 for _, o in derived), derived
    assert objects(master, 1001, start=mark) == [], "integrated totals are not sent spontaneously"

    found = by_ioa(counter_interrogate(master))
    asdu, obj = found[1001]
    assert asdu.type == M_IT_NA_1 and asdu.cause == COT_COUNTER_GENERAL, asdu
    assert obj.value == 12 and obj.quality == 0, f"12060 Wh is 12 kWh: {asdu}"

    mark = master.mark()
    cp.call(call16.StatusNotification(connector_id=1, error_code="NoError", status="Charging",
                                      timestamp=iso(utc_now())))
    asdu, obj = wait_object(master, 1002, M_SP_TB_1, mark)
    assert obj.value is True and obj.quality == 0, asdu

    mark = master.mark()
    cp.call(call16.DataTransfer(vendor_id="com.example.wallbox", message_id="OverloadAlarm",
                                data='{"cleared": false}'))
    asdu, obj = wait_object(master, 1004, M_SP_TB_1, mark)
    assert obj.value is True and obj.quality == 0, f"vendor overload alarm must set IOA 1004: {asdu}"
    mark = master.mark()
    cp.call(call16.DataTransfer(vendor_id="com.example.wallbox", message_id="OverloadAlarm",
                                data='{"cleared": true}'))
    asdu, obj = wait_object(master, 1004, M_SP_TB_1, mark)
    assert obj.value is False and obj.quality == 0, f"cleared alarm must reset IOA 1004: {asdu}"


# ============================================================================================ 6. disconnect

def test_disconnect_flags_points_and_reconnect_triggers_fresh_values(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    mark = master.mark()
    cp.meter_values("14.4", unit="kW")
    wait_object(master, 1300, M_ME_TF_1, mark, predicate=lambda o: o.quality == 0)

    mark = master.mark()
    cp.close()
    asdu, obj = wait_object(master, 1300, M_ME_TF_1, mark, what="IOA 1300 flagged after the charger left")
    assert asdu.cause == COT_SPONTANEOUS and obj.quality == QDS_IV | QDS_NT, \
        f"a disconnected charger's power must be IV+NT: {asdu}"
    assert close_to(obj.value, 14.4, 1e-6), asdu

    again = harness.charger(gw, "CP004")
    _, trigger = again.wait_request("TriggerMessage")
    assert trigger["requestedMessage"] in ("MeterValues", "StatusNotification"), trigger
    def triggered():
        return {p["requestedMessage"] for _, _, p in again.received("TriggerMessage")}
    wait_until(lambda: triggered() >= {"MeterValues", "StatusNotification"}, 3,
               message=lambda: f"TriggerMessage for MeterValues and StatusNotification; got {triggered()}")
    mark = master.mark()
    again.meter_values("15.0", unit="kW")
    _, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert close_to(obj.value, 15.0, 1e-6) and obj.quality == 0, obj


# ============================================================================================ 7. site total, GI

SITE_READINGS = {
    # identity: (version, kW the gateway must derive/convert)
    "CP001": ("1.6", 10.8), "CP002": ("1.6", 7.2), "CP003": ("1.6", 3.6),
    "CP004": ("1.6", 14.4), "CP005": ("2.0.1", 11.0), "CP006": ("1.6", 7.4), "CP007": ("1.6", 3.7),
    "CP008": ("2.0.1", 50.0), "CP009": ("2.0.1", 75.5), "CP010": ("2.0.1", 120.0),
}


def send_site_reading(cp, kw):
    if cp.identity in ("CP001", "CP002", "CP003"):  # register only: ΔWh over 10 s
        t0 = utc_now(-20)
        delta_wh = kw * 1000 * 10 / 3600
        cp.meter_values("5000", measurand="Energy.Active.Import.Register", unit="Wh", context="Sample.Periodic",
                        timestamp=t0)
        cp.meter_values(f"{5000 + delta_wh:.1f}", measurand="Energy.Active.Import.Register", unit="Wh",
                        context="Sample.Periodic", timestamp=t0 + datetime.timedelta(seconds=10))
    elif cp.version == "1.6":
        cp.meter_values(f"{kw}", unit="kW")
    else:
        cp.meter_values(kw, unit="W", multiplier=3, evse=0)


def test_site_total_is_invalid_until_every_charger_reports_and_gi_reports_every_point_untimed(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    gi_points = {p["ioa"]: TYPE_IDS[p["type"]] for p in site_points() if p["direction"] == "monitor" and p["gi"]}

    found = by_ioa(interrogate(master))
    assert found[10][1].quality & QDS_IV, f"the site total must be IV before any charger reported: {found[10]}"

    chargers = {}
    mark = master.mark()
    cp4 = chargers["CP004"] = harness.charger(gw, "CP004")
    send_site_reading(cp4, 14.4)
    wait_object(master, 1300, M_ME_TF_1, mark)
    time.sleep(0.2)
    found = by_ioa(interrogate(master))
    assert found[10][1].quality & QDS_IV, \
        f"the site total must stay IV while 9 chargers have no value (it would under-report): {found[10]}"

    for identity, (version, kw) in SITE_READINGS.items():
        if identity not in chargers:
            chargers[identity] = harness.charger(gw, identity, version)
        if identity != "CP004":
            send_site_reading(chargers[identity], kw)
    total = sum(kw for _, kw in SITE_READINGS.values())
    asdu, obj = wait_object(master, 10, M_ME_TF_1, mark, predicate=lambda o: o.quality == 0, timeout=6,
                            what="the site total with good quality once every charger reported")
    assert close_to(obj.value, total, 1e-4), f"site total {obj.value}, expected {total}: {asdu}"

    data = interrogate(master)
    found = by_ioa(data)
    assert set(found) == set(gi_points), \
        f"GI members: missing {sorted(set(gi_points) - set(found))}, extra {sorted(set(found) - set(gi_points))}"
    for ioa, declared in gi_points.items():
        asdu, _ = found[ioa]
        assert asdu.type == UNTIMED[declared], f"IOA {ioa} ({declared}) must use untimed type {UNTIMED[declared]}: {asdu}"
        assert asdu.cause == COT_STATION and not asdu.negative and asdu.ca == CA, asdu
    _, site = found[10]
    assert close_to(site.value, total, 1e-4) and site.quality == 0, found[10]
    for identity, (_, kw) in SITE_READINGS.items():
        ioa = int(identity[2:]) * 100 + 900  # CP001 → 1000 … CP010 → 1900
        _, obj = found[ioa]
        assert close_to(obj.value, kw, 1e-4) and obj.quality == 0, f"{identity} power in GI: {found[ioa]}"

    # A charger going away takes the total back to IV: its last value is no longer a measurement.
    mark = master.mark()
    chargers["CP006"].close()
    asdu, obj = wait_object(master, 10, M_ME_TF_1, mark, what="the site total flagged when CP006 left")
    assert obj.quality & QDS_IV, f"the site total must be IV while CP006 is offline: {asdu}"


def test_group_interrogation_returns_its_group_only(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    members = {p["ioa"] for p in site_points() if p["direction"] == "monitor" and "1" in str(p["groups"]).split(",")}
    mark = master.mark()
    master.conn.interrogation(common_address=CA, cause=c104.Cot.ACTIVATION, qualifier=c104.Qoi.GROUP_1)
    cycle = master.wait_cycle(C_IC_NA_1, mark, timeout=8)
    assert [(a.cause, a.negative) for a in cycle if a.type == C_IC_NA_1] == [(COT_ACT_CON, False), (COT_ACT_TERM, False)]
    found = by_ioa([a for a in cycle if a.cause == 21])
    assert set(found) == members, f"group 1: missing {sorted(members - set(found))}, extra {sorted(set(found) - members)}"
    assert 10 in members and 1300 in members and 1302 not in members


# ============================================================================================ 8. limits

def test_small_limit_change_executes_directly_as_a_profile_in_watts(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    mark, requests = master.mark(), cp.mark()

    result, replies = setpoint(master, 1350, C_SE_NB_1, 20)
    assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], replies
    assert result is True
    assert all(scaled_setpoint(a.objects[0]) == (20, 0) and a.objects[0].ioa == 1350 for a in replies), replies
    _, payload = cp.wait_request("SetChargingProfile", requests)
    connector, purpose, _, unit, period = profile_16(payload)
    assert (connector, purpose, unit) == (0, "TxDefaultProfile", "W"), payload
    assert period["limit"] == 20000, payload
    assert len(cp.received("SetChargingProfile", requests)) == 1
    asked_at = cp.received("SetChargingProfile", requests)[0][0]
    confirmed_at = arrival_time(master, lambda a: a.type == C_SE_NB_1 and a.cause == COT_ACT_CON, mark)
    assert asked_at < confirmed_at, "the positive ACT_CON must wait for the charger's answer"

    asdu, obj = wait_object(master, 1303, M_ME_NC_1, mark, what="limit read-back IOA 1303")
    assert close_to(obj.value, 20.0, 1e-6) and obj.quality == 0, asdu


def test_large_limit_change_needs_select_before_operate(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    result, replies = setpoint(master, 1350, C_SE_NB_1, 20)
    assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], replies

    requests = cp.mark()
    result, replies = setpoint(master, 1350, C_SE_NB_1, 5)  # 20 → 5 is 75 % of the limit in force
    assert confirmations(replies) == [(COT_ACT_CON, True)], f"a large change without select must be refused: {replies}"
    assert result is False
    time.sleep(0.5)
    assert cp.received("SetChargingProfile", requests) == [], "a refused command reached the charger"

    mark = master.mark()
    result, replies = setpoint(master, 1350, C_SE_NB_1, 5, select=True)
    assert [(a.cause, a.negative, bool(scaled_setpoint(a.objects[0])[1] & 0x80)) for a in replies] == [
        (COT_ACT_CON, False, True), (COT_ACT_CON, False, False), (COT_ACT_TERM, False, False)], replies
    assert result is True
    sent = cp.received("SetChargingProfile", requests)
    assert len(sent) == 1 and profile_16(sent[0][2])[4]["limit"] == 5000, sent
    _, obj = wait_object(master, 1303, M_ME_NC_1, mark)
    assert close_to(obj.value, 5.0, 1e-6) and obj.quality == 0, obj


def test_charger_rejecting_the_profile_gives_a_negative_confirmation(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004", answers={"SetChargingProfile": "Rejected"})
    mark, requests = master.mark(), cp.mark()

    result, replies = setpoint(master, 1350, C_SE_NB_1, 20)
    assert confirmations(replies) == [(COT_ACT_CON, True)], f"a rejected profile must be a negative ACT_CON: {replies}"
    assert result is False
    _, payload = cp.wait_request("SetChargingProfile", requests)
    assert profile_16(payload)[4]["limit"] == 20000
    time.sleep(0.3)
    assert not any(a.type == C_SE_NB_1 and a.cause == COT_ACT_TERM for a in master.asdus(mark))
    assert objects(master, 1303, start=mark) == [], "a rejected limit must not move the read-back"


def test_legacy_charger_limit_goes_out_in_amperes(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP001")
    mark, requests = master.mark(), cp.mark()

    result, replies = setpoint(master, 1050, C_SE_NC_1, 11.0, select=True)  # 22 → 11 needs a select
    assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_CON, False), (COT_ACT_TERM, False)], replies
    assert result is True
    _, payload = cp.wait_request("SetChargingProfile", requests)
    connector, purpose, stack_level, unit, period = profile_16(payload)
    assert (connector, purpose, stack_level, unit) == (0, "TxDefaultProfile", 1, "A"), payload
    assert abs(period["limit"] - 15.9) < 1e-9, f"11 kW at 230 V × 3 phases is 15.9 A (to 0.1 A): {payload}"
    assert period.get("numberPhases") in (None, 3), payload
    _, obj = wait_object(master, 1003, M_ME_NC_1, mark)
    assert close_to(obj.value, 11.0, 1e-6), obj


def test_limit_for_an_offline_charger_is_refused(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    online = harness.charger(gw, "CP004")
    requests = online.mark()
    result, replies = setpoint(master, 1450, C_SE_NB_1, 22)  # CP005, not connected
    assert confirmations(replies) == [(COT_ACT_CON, True)], f"an offline charger's limit must be refused: {replies}"
    assert result is False
    result, replies = setpoint(master, 1350, C_SE_NB_1, 30)  # CP004 is online, but its range is 0…22 kW
    assert confirmations(replies) == [(COT_ACT_CON, True)], f"a limit outside the range must be refused: {replies}"
    time.sleep(0.3)
    assert online.received("SetChargingProfile", requests) == []


def test_v201_limit_goes_out_as_an_external_constraints_profile(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP008", "2.0.1")
    mark, requests = master.mark(), cp.mark()

    result, replies = setpoint(master, 1750, C_SE_NC_1, 140.0)  # 150 → 140 is within 20 %: direct
    assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], replies
    _, payload = cp.wait_request("SetChargingProfile", requests)
    profile = payload["chargingProfile"]
    assert payload["evseId"] == 0 and profile["chargingProfilePurpose"] == "ChargingStationExternalConstraints", payload
    schedules = profile["chargingSchedule"]
    assert isinstance(schedules, list) and len(schedules) == 1 and "id" in schedules[0], \
        f"2.0.1 chargingSchedule is an array of schedules with ids: {payload}"
    assert schedules[0]["chargingRateUnit"] == "W" and schedules[0]["chargingSchedulePeriod"][0]["limit"] == 140000, \
        payload
    _, obj = wait_object(master, 1704, M_ME_NC_1, mark)
    assert close_to(obj.value, 140.0, 1e-6) and obj.quality == 0, obj


# ============================================================================================ 9. site limit

def test_site_limit_is_shared_equally_over_online_chargers(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp1 = harness.charger(gw, "CP001")  # legacy: A at 230 V × 3
    cp4 = harness.charger(gw, "CP004")  # W
    mark, r1, r4 = master.mark(), cp1.mark(), cp4.mark()

    result, replies = setpoint(master, 20, C_SE_NC_1, 30.0, select=True)  # 400 → 30 needs a select
    assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_CON, False), (COT_ACT_TERM, False)], replies
    assert result is True
    _, p1 = cp1.wait_request("SetChargingProfile", r1)
    _, p4 = cp4.wait_request("SetChargingProfile", r4)
    assert profile_16(p4)[3] == "W" and profile_16(p4)[4]["limit"] == 15000, f"CP004 must get 15 kW: {p4}"
    assert profile_16(p1)[3] == "A" and abs(profile_16(p1)[4]["limit"] - 21.7) < 1e-9, \
        f"CP001 must get 15 kW = 21.7 A at 230 V × 3: {p1}"
    for ioa in (1003, 1303):
        _, obj = wait_object(master, ioa, M_ME_NC_1, mark, what=f"read-back {ioa} after the site limit")
        assert close_to(obj.value, 15.0, 1e-6), obj

    # CP004 leaves: the site limit is shared again over who is left, capped at CP001's 22 kW (31.9 A).
    r1 = cp1.mark()
    cp4.close()
    _, again = cp1.wait_request("SetChargingProfile", r1, predicate=lambda p: profile_16(p)[4]["limit"] != 21.7)
    assert abs(profile_16(again)[4]["limit"] - 31.9) < 1e-9, \
        f"CP001 alone must get min(30, 22) kW = 31.9 A after CP004 left: {again}"
    cp4 = harness.charger(gw, "CP004")

    # One charger refusing its share makes the whole command fail.
    cp4.answers["SetChargingProfile"] = "Rejected"
    result, replies = setpoint(master, 20, C_SE_NC_1, 35.0)  # +5 of 30 is within 20 %: direct
    assert confirmations(replies) == [(COT_ACT_CON, True)], f"a refused share must give a negative ACT_CON: {replies}"


# ============================================================================================ 10. GI refresh

def schedule_answer(limit_w):
    return result201.GetCompositeSchedule(status="Accepted", schedule={
        "evseId": 0, "duration": 60, "scheduleStart": iso(utc_now()), "chargingRateUnit": "W",
        "chargingSchedulePeriod": [{"startPeriod": 0, "limit": limit_w}]})


def test_general_interrogation_first_refreshes_limits_with_get_composite_schedule(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP008", "2.0.1", answers={"GetCompositeSchedule": schedule_answer(50000.0)})
    requests, mark = cp.mark(), master.mark()

    found = by_ioa(interrogate(master))
    asked_at, payload = cp.wait_request("GetCompositeSchedule", requests)
    assert payload["evseId"] == 0 and payload["duration"] > 0 and payload.get("chargingRateUnit") in (None, "W"), payload
    confirmed_at = arrival_time(master, lambda a: a.type == C_IC_NA_1 and a.cause == COT_ACT_CON, mark)
    assert asked_at < confirmed_at, "GetCompositeSchedule must go out before the interrogation is answered"
    asdu, obj = found[1704]
    assert asdu.type == M_ME_NC_1 and close_to(obj.value, 50.0, 1e-6) and obj.quality == 0, \
        f"the GI must report the refreshed limit read-back (50 kW): {asdu}"


def test_general_interrogation_refreshes_a_v16_chargers_limit_too(harness):
    """rule-format.md (station.interrogation): "ask 2.0.1/1.6 chargers for GetCompositeSchedule"; DOMAIN §2: the
    refresh is GetCompositeSchedule (2.0.1 and 1.6)."""
    from ocpp.v16 import call_result as result16
    answer = result16.GetCompositeSchedule(status="Accepted", connector_id=0, schedule_start=iso(utc_now()),
                                           charging_schedule={"chargingRateUnit": "W", "duration": 60,
                                                              "chargingSchedulePeriod": [{"startPeriod": 0,
                                                                                          "limit": 11000.0}]})
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004", answers={"GetCompositeSchedule": answer})
    requests = cp.mark()
    found = by_ioa(interrogate(master))
    asked = cp.received("GetCompositeSchedule", requests)
    assert asked, f"the 1.6 charger CP004 was not asked for its composite schedule before the GI; it got " \
        f"{[(a, p) for _, a, p in cp.received(start=requests)]}"
    assert asked[0][2]["connectorId"] == 0, asked
    asdu, obj = found[1303]
    assert close_to(obj.value, 11.0, 1e-6) and obj.quality == 0, \
        f"the GI must report the refreshed limit read-back (11 kW): {asdu}"


def test_general_interrogation_completes_when_a_charger_never_answers_the_schedule_request(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    gi_points = {p["ioa"] for p in site_points() if p["direction"] == "monitor" and p["gi"]}
    cp = harness.charger(gw, "CP008", "2.0.1", silent={"GetCompositeSchedule"})
    requests = cp.mark()

    started = time.monotonic()
    found = by_ioa(interrogate(master, timeout=10))
    elapsed = time.monotonic() - started
    cp.wait_request("GetCompositeSchedule", requests, timeout=1)
    assert elapsed <= 4.5, f"the GI took {elapsed:.1f} s; the refresh timeout is 2 s"
    assert elapsed >= 1.5, f"the GI answered after {elapsed:.1f} s without waiting for the schedule (timeout 2 s)"
    assert set(found) == gi_points, sorted(set(gi_points) ^ set(found))


# ============================================================================================ 12. admin

def test_admin_health_ready_metrics_points(harness):
    gw = harness.gateway()
    status, _, _ = gw.admin("GET", "/health")
    assert status == 200
    ready = gw.get_json("/ready")
    assert ready["scada"]["active"] is False and ready["chargers"]["connected"] == 0, ready

    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    wait_until(lambda: (lambda r: r["scada"]["active"] is True and r["chargers"]["connected"] == 1)(
        gw.get_json("/ready")), 3, message=lambda: f"/ready counts: {gw.get_json('/ready')}")

    taken = utc_now(-0.25)
    mark = master.mark()
    cp.meter_values("14.4", unit="kW", timestamp=taken)
    wait_object(master, 1300, M_ME_TF_1, mark)
    entry = gw.point(1300)
    assert entry["type"] == "M_ME_TF_1" and entry["signal"] == "power_kw" and entry["ca"] == CA, entry
    assert close_to(entry["value"], 14.4, 1e-6) and entry["quality"] == [], entry
    stamped = datetime.datetime.fromisoformat(entry["time"].replace("Z", "+00:00"))
    assert abs((stamped - taken).total_seconds()) < 0.002, entry
    assert "IV" in gw.point(1400)["quality"], "a charger that never reported must show IV"

    status, content_type, metrics = gw.admin("GET", "/metrics")
    assert status == 200 and content_type.startswith("text/plain"), (status, content_type)
    assert re.search(r'^ocpp_messages_in_total\{[^}]*action="MeterValues"[^}]*\} [1-9]', metrics, re.M), metrics
    assert re.search(r"^iec104_masters_connected 1(\.0)?$", metrics, re.M), metrics
    assert re.search(r"^iec104_master_active 1(\.0)?$", metrics, re.M), metrics
    assert re.search(r"^ocpp_chargers_connected 1(\.0)?$", metrics, re.M), metrics

    status, _, body = gw.admin("GET", "/no-such-route")
    assert status == 404, (status, body)


# ============================================================================================ 13. shutdown

def test_sigterm_shuts_down_cleanly_with_peers_connected(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    cp.meter_values("14.4", unit="kW")
    started = time.monotonic()
    code = gw.terminate(timeout=5)
    assert code == 0, f"exit status {code} after SIGTERM:\n{gw.log_tail()}"
    assert time.monotonic() - started < 5
    wait_until(lambda: master.conn.state.name.startswith("CLOSED"), 3,
               message=lambda: f"the master's connection closed (state {master.conn.state})")
    closed = harness.loop.run(_closed(cp.ws))
    assert closed, "the charger's WebSocket must be closed by the shutdown"
    records = gw.log_records()
    assert records and not [r for r in records if "text" in r], \
        f"--log-format json must write JSON lines only: {[r for r in records if 'text' in r][:5]}"
    assert not [r for r in records if r.get("level") in ("error", "critical")], \
        f"errors logged during a clean shutdown: {[r for r in records if r.get('level') in ('error', 'critical')]}"


async def _closed(ws):
    try:
        await asyncio.wait_for(ws.wait_closed(), 3)
        return True
    except asyncio.TimeoutError:
        return False


# ============================================================================================ more of the field story

def test_values_sent_while_no_master_is_connected_arrive_in_order_after_startdt(harness):
    gw = harness.gateway()
    cp = harness.charger(gw, "CP004")
    taken = [utc_now(-3 + i * 0.5) for i in range(4)]
    values = [10.0, 11.0, 12.5, 13.0]
    for value, moment in zip(values, taken):
        cp.meter_values(f"{value}", unit="kW", timestamp=moment)
    master = harness.master(gw)
    wait_until(lambda: len(objects(master, 1300, M_ME_TF_1, COT_SPONTANEOUS)) >= len(values), 3,
               message=lambda: f"{len(values)} queued values at IOA 1300:\n{master.dump()}")
    received = objects(master, 1300, M_ME_TF_1, COT_SPONTANEOUS)
    assert [o.value for _, o in received] == values, received
    assert [o.time.datetime() for _, o in received] == taken, received


def test_legacy_local_timestamp_is_read_in_the_chargers_time_zone(harness):
    import zoneinfo
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP007")  # timezone: Europe/Berlin; its 1.6 firmware sends local time without a zone
    taken = utc_now(-2)
    local = taken.astimezone(zoneinfo.ZoneInfo("Europe/Berlin")).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{taken.microsecond // 1000:03d}"
    mark = master.mark()
    cp.call(call16.MeterValues(connector_id=1, meter_value=[{"timestamp": local, "sampledValue": [
        {"value": "7.4", "measurand": "Power.Active.Import", "unit": "kW"}]}]), skip_schema_validation=True)
    _, obj = wait_object(master, 1600, M_ME_TF_1, mark)
    assert close_to(obj.value, 7.4, 1e-6) and obj.quality == 0, obj
    assert obj.time.datetime() == taken, \
        f"'{local}' (Europe/Berlin) is {taken} UTC; the time tag says {obj.time.datetime()}"


def test_v201_transaction_event_power_lands_on_the_transactions_evse(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP008", "2.0.1")

    def event(kind, seq, watts, evse=None):
        return call201.TransactionEvent(
            event_type=kind, timestamp=iso(utc_now()), trigger_reason="MeterValuePeriodic" if seq else "CablePluggedIn",
            seq_no=seq, transaction_info={"transaction_id": "TX-E2E-1"},
            evse={"id": evse, "connector_id": 1} if evse is not None else None,
            meter_value=[{"timestamp": iso(utc_now()), "sampledValue": [
                {"value": watts, "measurand": "Power.Active.Import", "unitOfMeasure": {"unit": "W"}}]}])

    mark = master.mark()
    cp.call(event("Started", 0, 22000, evse=2))
    _, obj = wait_object(master, 1707, M_ME_TF_1, mark)
    assert close_to(obj.value, 22.0, 1e-6) and obj.quality == 0, obj
    assert objects(master, 1706, start=mark) == [], "EVSE 2's transaction must not move EVSE 1's power"

    mark = master.mark()
    cp.call(event("Updated", 1, 30000))  # no evse: later events of a transaction may leave it out
    _, obj = wait_object(master, 1707, M_ME_TF_1, mark, what="IOA 1707 from an Updated event without evse")
    assert close_to(obj.value, 30.0, 1e-6), obj
    assert objects(master, 1706, start=mark) == []


def test_sigterm_with_a_request_still_waiting_for_a_charger_exits_promptly(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP008", "2.0.1", silent={"GetCompositeSchedule"})
    requests = cp.mark()
    master.conn.interrogation(common_address=CA, cause=c104.Cot.ACTIVATION, qualifier=c104.Qoi.STATION,
                              wait_for_response=False)
    cp.wait_request("GetCompositeSchedule", requests)
    started = time.monotonic()
    code = gw.terminate(timeout=5)
    assert code == 0, f"exit status {code}:\n{gw.log_tail()}"
    assert time.monotonic() - started < 5


def test_unknown_charger_is_refused_at_the_handshake(harness):
    import websockets
    gw = harness.gateway()

    async def attempt(identity):
        try:
            async with websockets.connect(f"ws://127.0.0.1:{gw.ocpp_port}/{identity}", subprotocols=["ocpp1.6"]):
                return 101
        except websockets.exceptions.InvalidStatus as error:
            return error.response.status_code

    assert harness.loop.run(attempt("CP999")) == 404, "a charger the site does not list must get 404"
    assert harness.loop.run(attempt("CP004")) == 101


def test_retransmitted_call_is_answered_but_reported_once(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    status = call16.StatusNotification(connector_id=1, error_code="NoError", status="Charging",
                                       timestamp=iso(utc_now()))
    mark = master.mark()
    first = cp.call(status, unique_id="retransmitted-1")
    second = cp.call(status, unique_id="retransmitted-1")  # the charger missed our answer and sends it again
    assert first == second
    wait_object(master, 1302, M_DP_TB_1, mark)
    time.sleep(0.4)
    reports = objects(master, 1302, start=mark)
    assert len(reports) == 1, f"one StatusNotification, sent twice with the same id, must be reported once: {reports}"


def test_site_limit_rate_limit_refuses_the_seventh_command_in_a_minute(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    result, replies = setpoint(master, 20, C_SE_NC_1, 20.0, select=True)
    assert confirmations(replies)[-1] == (COT_ACT_TERM, False), replies
    for value in (20.5, 21.0, 21.5, 20.0, 20.5):  # small changes: direct; 6 executes in all
        result, replies = setpoint(master, 20, C_SE_NC_1, value)
        assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], (value, replies)
    requests = cp.mark()
    result, replies = setpoint(master, 20, C_SE_NC_1, 21.0)
    assert confirmations(replies) == [(COT_ACT_CON, True)], f"rate_limit 6/min: the 7th must be refused: {replies}"
    time.sleep(0.3)
    assert cp.received("SetChargingProfile", requests) == []


def test_enable_command_changes_availability(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP008", "2.0.1")
    point = master.point(1751, c104.Type.C_SC_NA_1)
    for on, status in ((False, "Inoperative"), (True, "Operative")):
        requests, mark = cp.mark(), master.mark()
        point.value = on
        sent = len(master.sent_frames())
        result = point.transmit(cause=c104.Cot.ACTIVATION)
        if not result and not any(f.kind == "I" and f.asdu.type == 45 for f in master.sent_frames(sent)):
            # c104 now and then refuses a fresh point's first transmit without sending anything; the gateway
            # never saw a command, so sending it once more tests the same thing.
            time.sleep(0.5)
            result = point.transmit(cause=c104.Cot.ACTIVATION)
        assert result is True
        replies = [a for a in master.wait_cycle(45, mark, timeout=8) if a.type == 45]
        assert confirmations(replies) == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], replies
        _, payload = cp.wait_request("ChangeAvailability", requests)
        assert payload["operationalStatus"] == status, payload
    assert cp.errors == [], cp.errors


def test_legacy_register_only_periodic_and_clock_readings_derive_power_in_any_energy_unit(harness):
    gw = harness.gateway()
    master = harness.master(gw)
    cp = harness.charger(gw, "CP002")
    t0 = utc_now(-60)
    mark = master.mark()
    # kWh-labelled register readings are converted to the rule's Wh; a Transaction.Begin reading in between is
    # not one of the rule's contexts and must not take part in the derivation.
    cp.meter_values("12.000", measurand="Energy.Active.Import.Register", unit="kWh", context="Sample.Clock",
                    timestamp=t0)
    cp.meter_values("12.020", measurand="Energy.Active.Import.Register", unit="kWh", context="Transaction.Begin",
                    timestamp=t0 + datetime.timedelta(seconds=5))
    cp.meter_values("12.030", measurand="Energy.Active.Import.Register", unit="kWh", context="Sample.Periodic",
                    timestamp=t0 + datetime.timedelta(seconds=10))
    _, obj = wait_object(master, 1100, M_ME_TF_1, mark)
    time.sleep(0.3)
    derived = objects(master, 1100, M_ME_TF_1, COT_SPONTANEOUS, mark)
    assert [round(o.value, 3) for _, o in derived] == [10.8], \
        f"30 Wh over the 10 s between the periodic/clock readings is 10.8 kW: {derived}"
    found = by_ioa(counter_interrogate(master))
    assert found[1101][1].value == 12 and found[1101][1].quality == 0, found[1101]
