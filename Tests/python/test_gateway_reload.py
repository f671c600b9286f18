"""Rule reloads of `ocpp809 run` while traffic flows: POST /reload, SIGHUP and file changes, good and bad edits.

A 1.6 charger (CP004, Power.Active.Import in kW, deadband 0.1) sends MeterValues every 200 ms, each value 0.5 kW
from the last, so every one must reach SCADA spontaneously at IOA 1300 with good quality, in order, whatever
happens to the rules meanwhile. Each test edits its own copy of rules/default.yaml."""
import signal
import time

import c104

from gateway_process import (  # noqa: F401  (harness is a fixture)
    M_ME_NC_1, M_ME_TF_1, by_ioa, float32, harness, interrogate, objects, wait_object,
)
from iec104_station import COT_SPONTANEOUS, wait_until

ADDED_POINT = """\
    - signal: cp004_power_kw
      ioa: 13
      type: M_ME_NC_1
      unit: kW
      description: Active power of CP004 alone (added by a reload)
      aggregate: {sum: power_kw, chargers: [CP004]}
"""
SITE_POINTS = "site:\n  name: ocpp809 demo site\n  points:\n"
AC22_DESCRIPTION = "    description: AC 22 kW charger, OCPP 1.6 and 2.0.1\n"
AC_POWER = "&ac_power {action: MeterValues, measurand: Power.Active.Import,"


def edit(path, old, new):
    text = path.read_text()
    assert text.count(old) == 1, f"{old!r} must occur once in {path}"
    path.write_text(text.replace(old, new))


def line_of(path, needle):
    """1-based line number of the line containing `needle`."""
    for number, line in enumerate(path.read_text().splitlines(), 1):
        if needle in line:
            return number
    raise AssertionError(f"{needle!r} not in {path}")


def streaming(harness, gw, count):
    """A master, CP004 connected, and a stream of `count` readings started; returns (master, mark, future, sent)."""
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    mark = master.mark()
    future, sent = cp.stream_power(count)
    wait_until(lambda: len(sent) >= 3, 3, message="the first readings answered")
    return master, mark, future, sent


def check_stream(master, mark, future, gw):
    """Every reading sent reached SCADA, in order, good, with its own time tag."""
    sent = future.result(20)
    def arrived():
        return objects(master, 1300, M_ME_TF_1, COT_SPONTANEOUS, mark)
    wait_until(lambda: len(arrived()) >= len(sent), 3,
               message=lambda: f"{len(sent)} values at IOA 1300; got {len(arrived())}:\n{master.dump(mark)}")
    time.sleep(0.3)
    received = arrived()
    assert [round(o.value, 3) for _, o in received] == [round(float32(v), 3) for v, _ in sent], \
        f"values lost or repeated:\nsent     {[v for v, _ in sent]}\nreceived {[o.value for _, o in received]}\n" \
        f"{gw.log_tail()}"
    bad = [(a, o) for a, o in received if o.quality != 0]
    assert bad == [], f"values flagged during the reload: {bad}"
    assert [o.time.datetime() for _, o in received] == [t for _, t in sent], "time tags changed"
    return sent


def test_good_reload_while_traffic_flows(harness):
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master, mark, future, sent = streaming(harness, gw, 15)

    edit(rules, AC22_DESCRIPTION, AC22_DESCRIPTION.replace("2.0.1", "2.0.1 (edited while running)"))
    edit(rules, SITE_POINTS, SITE_POINTS + ADDED_POINT)
    status, body = gw.post_json("/reload")
    assert status == 200 and body["ok"] is True, (status, body, gw.log_tail())
    assert body["revision"] == 2, body
    assert [a for a in body["added"] if "13" in a and "cp004_power_kw" in a], f"the new site point: {body}"
    assert body["removed"] == [] and body["changed"] == [], \
        f"a description and a new site point change no existing point's behaviour: {body}"
    assert gw.revision() == 2

    sent = check_stream(master, mark, future, gw)
    entry = gw.point(13)
    assert entry["signal"] == "cp004_power_kw" and entry["quality"] == [], entry
    assert abs(entry["value"] - sent[-1][0]) < 1e-3, f"the added total must follow CP004 ({sent[-1][0]}): {entry}"
    found = by_ioa(interrogate(master))
    asdu, obj = found[13]
    assert asdu.type == M_ME_NC_1 and abs(obj.value - sent[-1][0]) < 1e-3 and obj.quality == 0, asdu


def test_bad_reloads_are_refused_with_diagnostics_and_change_nothing(harness):
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master, mark, future, sent = streaming(harness, gw, 15)
    original = rules.read_text()

    # A YAML syntax error: ': ' inside a plain scalar.
    edit(rules, AC22_DESCRIPTION, "    description: AC 22 kW: charger\n")
    bad_line = line_of(rules, "AC 22 kW: charger")
    status, body = gw.post_json("/reload")
    assert status == 422 and body["ok"] is False, (status, body)
    assert body["revision"] == 1, body
    errors = [d for d in body["diagnostics"] if d["severity"] == "error"]
    assert errors and errors[0]["file"].endswith(rules.name) and errors[0]["line"] == bad_line, \
        f"the diagnostic must name {rules.name}:{bad_line}: {body['diagnostics']}"
    assert errors[0]["column"] >= 1, errors[0]

    # A well-formed file with an unknown measurand.
    rules.write_text(original)
    edit(rules, AC_POWER, AC_POWER.replace("Power.Active.Import", "Power.Active.Imprt"))
    bad_line = line_of(rules, "Power.Active.Imprt")
    status, body = gw.post_json("/reload")
    assert status == 422 and body["ok"] is False and body["revision"] == 1, (status, body)
    errors = [d for d in body["diagnostics"] if d["severity"] == "error"]
    assert any(d["file"].endswith(rules.name) and d["line"] == bad_line and "Power.Active.Imprt" in d["message"]
               for d in errors), f"the diagnostic must name {rules.name}:{bad_line}: {body['diagnostics']}"
    assert gw.revision() == 1

    check_stream(master, mark, future, gw)
    metrics = gw.admin("GET", "/metrics")[2]
    assert 'gateway_reloads_total{result="failure"} 2' in metrics, metrics


def test_sighup_reloads_the_rules(harness):
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master, mark, future, sent = streaming(harness, gw, 10)

    edit(rules, SITE_POINTS, SITE_POINTS + ADDED_POINT)
    gw.send_signal(signal.SIGHUP)
    wait_until(lambda: gw.revision() == 2, 5, message=lambda: f"revision 2 after SIGHUP; log:\n{gw.log_tail()}")
    assert gw.point(13)["signal"] == "cp004_power_kw"
    check_stream(master, mark, future, gw)
    assert gw.proc.poll() is None, "SIGHUP must not end the gateway"


def test_start_only_setting_change_is_refused_by_name(harness):
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master, mark, future, sent = streaming(harness, gw, 10)

    edit(rules, 'listen: "0.0.0.0:2404"', 'listen: "0.0.0.0:2405"')
    status, body = gw.post_json("/reload")
    assert status == 422 and body["ok"] is False and body["revision"] == 1, (status, body)
    assert "station.listen" in body["message"], f"the refusal must name station.listen: {body}"
    assert gw.revision() == 1
    check_stream(master, mark, future, gw)
    assert master.conn.state == c104.ConnectionState.OPEN, "the SCADA link must survive a refused reload"


def test_rule_file_change_reloads_without_being_asked(harness):
    rules = harness.rules_copy()
    gw = harness.gateway(rules, watch=True)
    master = harness.master(gw)
    time.sleep(1.2)  # the watcher's first snapshot, so the edit below is a change
    edit(rules, SITE_POINTS, SITE_POINTS + ADDED_POINT)
    wait_until(lambda: gw.revision() == 2, 6, message=lambda: f"revision 2 after the file changed; log:\n{gw.log_tail()}")
    found = by_ioa(interrogate(master))
    assert 13 in found and found[13][0].type == M_ME_NC_1, "the added point must answer the GI"

    # A broken save is refused and the running rules stay.
    edit(rules, AC_POWER, AC_POWER.replace("Power.Active.Import", "Power.Active.Imprt"))
    time.sleep(3)
    assert gw.revision() == 2 and gw.proc.poll() is None
    records = gw.log_records()
    assert any("refused" in r.get("message", "") and "file change" in r.get("message", "") for r in records), \
        f"a refused file-change reload must be logged:\n{gw.log_tail()}"


def test_reload_keeps_values_chain_memory_and_commanded_limits(harness):
    """What a reload must not forget: deadband and derivation memory of unchanged rules, the limit in force that
    select-before-operate measures a change against."""
    import datetime
    from gateway_process import C_SE_NB_1, utc_now
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master = harness.master(gw)
    cp4 = harness.charger(gw, "CP004")
    cp1 = harness.charger(gw, "CP001")

    mark = master.mark()
    cp4.meter_values("14.4", unit="kW")
    wait_object(master, 1300, M_ME_TF_1, mark)
    t0 = utc_now(-30)
    cp1.meter_values("12000", measurand="Energy.Active.Import.Register", unit="Wh", context="Sample.Periodic",
                     timestamp=t0)
    point = master.point(1350, c104.Type.C_SE_NB_1)
    point.value = c104.Int16(20)
    assert point.transmit(cause=c104.Cot.ACTIVATION) is True

    edit(rules, SITE_POINTS, SITE_POINTS + ADDED_POINT)
    status, body = gw.post_json("/reload")
    assert status == 200 and body["revision"] == 2, body

    mark = master.mark()
    cp4.meter_values("14.45", unit="kW")  # within the 0.1 kW deadband of the 14.4 reported before the reload
    cp1.meter_values("12030", measurand="Energy.Active.Import.Register", unit="Wh", context="Sample.Periodic",
                     timestamp=t0 + datetime.timedelta(seconds=10))
    _, derived = wait_object(master, 1000, M_ME_TF_1, mark, what="power derived across the reload")
    assert abs(derived.value - 10.8) < 1e-3, f"the register reading before the reload must count: {derived}"
    time.sleep(0.3)
    assert objects(master, 1300, start=mark) == [], \
        f"the deadband memory was lost in the reload: 14.45 after 14.4 was reported\n{master.dump(mark)}"
    assert abs(gw.point(1300)["value"] - 14.45) < 1e-4, "the held value still updates the image"

    # 20 kW is in force: 17 is a 15 % change, allowed without select (measured from 22, the range maximum, it
    # would be 23 % and need one).
    requests = cp4.mark()
    point.value = c104.Int16(17)
    mark = master.mark()
    point.transmit(cause=c104.Cot.ACTIVATION)
    replies = [a for a in master.wait_cycle(C_SE_NB_1, mark) if a.type == C_SE_NB_1]
    assert [(a.cause, a.negative) for a in replies] == [(7, False), (10, False)], \
        f"the limit in force (20 kW) was forgotten in the reload: {replies}\n{gw.log_tail()}"
    cp4.wait_request("SetChargingProfile", requests)


def test_reload_that_changes_a_rule_reports_it_and_applies_it(harness):
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master = harness.master(gw)
    cp = harness.charger(gw, "CP004")
    mark = master.mark()
    cp.meter_values("10.0", unit="kW")
    wait_object(master, 1300, M_ME_TF_1, mark)

    edit(rules, "transform: [{unit: kW}, {deadband: 0.1}]}", "transform: [{unit: kW}, {deadband: 1}]}")
    status, body = gw.post_json("/reload")
    assert status == 200 and body["revision"] == 2, body
    changed = " ".join(body["changed"])
    for ioa in (1300, 1400, 1500, 1600):
        assert str(ioa) in changed, f"ac22 power_kw at {ioa} changed its deadband: {body}"
    assert "1000" not in changed and "1700" not in changed, f"other templates did not change: {body}"

    # A changed rule starts with fresh chain memory: the first reading after the reload may be reported.
    cp.meter_values("10.5", unit="kW")
    time.sleep(0.2)
    mark = master.mark()
    cp.meter_values("10.9", unit="kW")  # within the new 1 kW deadband of 10.5 (and of 10.0)
    time.sleep(0.4)
    assert objects(master, 1300, start=mark) == [], f"the new deadband must apply after the reload:\n{master.dump(mark)}"
    cp.meter_values("12.0", unit="kW")
    _, obj = wait_object(master, 1300, M_ME_TF_1, mark)
    assert abs(obj.value - 12.0) < 1e-6 and obj.quality == 0, obj


def test_reload_that_removes_a_charger(harness):
    import websockets
    rules = harness.rules_copy()
    gw = harness.gateway(rules)
    master = harness.master(gw)
    edit(rules, "  - {<<: *dc, id: CP010, ioa_base: 1900}\n", "")
    status, body = gw.post_json("/reload")
    assert status == 200 and body["revision"] == 2, body
    removed = " ".join(body["removed"])
    assert all(str(ioa) in removed for ioa in (1900, 1901, 1905, 1950)), body
    assert not [r for r in body["removed"] if "CP010" not in r and "19" not in r.split()[0]], body

    found = by_ioa(interrogate(master))
    assert not [ioa for ioa in found if 1900 <= ioa < 2000], "removed points must leave the GI"
    assert 10 in found and 1800 in found

    async def attempt(identity):
        try:
            async with websockets.connect(f"ws://127.0.0.1:{gw.ocpp_port}/{identity}", subprotocols=["ocpp2.0.1"]):
                return 101
        except websockets.exceptions.InvalidStatus as error:
            return error.response.status_code

    assert harness.loop.run(attempt("CP010")) == 404, "a charger removed from the site must be refused"
    assert harness.loop.run(attempt("CP009")) == 101
