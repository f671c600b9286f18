"""Helpers for the end-to-end tests of `ocpp809 run`: the gateway as a subprocess on loopback ports it chooses
itself, real chargers (the `ocpp` package's ChargePoint classes over `websockets`, 1.6 and 2.0.1) run on one
background asyncio loop behind a synchronous facade, the c104 master of iec104_station, and the admin API over
urllib.

Everything is bounded in time: every wait has a timeout and fails with what was seen and the gateway's log tail."""
import asyncio
import datetime
import json
import re
import shutil
import signal
import struct
import subprocess
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import websockets
from ocpp.routing import on
from ocpp.v16 import ChargePoint as ChargePoint16
from ocpp.v16 import call as call16
from ocpp.v16 import call_result as result16
from ocpp.v201 import ChargePoint as ChargePoint201
from ocpp.v201 import call as call201
from ocpp.v201 import call_result as result201

from conftest import BIN, ROOT
from iec104_station import M_EI_NA_1, Master, wait_until

DEFAULT_RULES = ROOT / "rules" / "default.yaml"
TIMEOUT = 5.0

# Types not in iec104_station's constants.
M_SP_NA_1, M_DP_NA_1, M_ME_NC_1, M_IT_NA_1 = 1, 3, 13, 15
M_SP_TB_1, M_DP_TB_1, M_ME_TF_1 = 30, 31, 36
C_SE_NB_1, C_SE_NC_1 = 49, 50
UNTIMED = {M_SP_TB_1: M_SP_NA_1, M_DP_TB_1: M_DP_NA_1, M_ME_TF_1: M_ME_NC_1, M_ME_NC_1: M_ME_NC_1,
           M_SP_NA_1: M_SP_NA_1, M_DP_NA_1: M_DP_NA_1}
TYPE_IDS = {"M_SP_NA_1": 1, "M_DP_NA_1": 3, "M_ME_NC_1": 13, "M_IT_NA_1": 15, "M_SP_TB_1": 30, "M_DP_TB_1": 31,
            "M_ME_TF_1": 36}


# --------------------------------------------------------------------------------------------- small helpers

def utc_now(offset=0.0):
    """Now (plus offset seconds) in UTC, to the millisecond: what a CP56Time2a can carry."""
    now = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(seconds=offset)
    return now.replace(microsecond=(now.microsecond // 1000) * 1000)


def iso(moment):
    """An aware datetime as OCPP writes it: `2026-11-24T10:00:00.250Z`."""
    return moment.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + \
        f"{moment.microsecond // 1000:03d}Z"


def float32(x):
    return struct.unpack("<f", struct.pack("<f", x))[0]


def scaled_setpoint(obj):
    """(value, qualifier) of a C_SE_NB_1 / C_SE_NC_1 information element (iec104_station decodes only 50)."""
    raw = obj.raw
    if len(raw) == 3:
        return struct.unpack("<h", raw[0:2])[0], raw[2]
    return struct.unpack("<f", raw[0:4])[0], raw[4]


def _wait_for_binary(timeout=60):
    """The binary may be rebuilt under the tests: wait for it to come back before giving up."""
    deadline = time.monotonic() + timeout
    while not Path(BIN).exists():
        if time.monotonic() > deadline:
            pytest.skip(f"ocpp809 binary not built at {BIN} (run swift build or set OCPP809_BIN)")
        time.sleep(0.5)


# --------------------------------------------------------------------------------------------- the gateway

class GatewayProcess:
    """`ocpp809 run` on 127.0.0.1 with ports 0; the bound ports are read from its first stdout lines."""

    STATION = re.compile(r"^IEC 104 station listening on (\S+):(\d+) \(common address (\d+)\)")
    OCPP = re.compile(r"^OCPP central system listening on (wss?)://(\S+):(\d+)")
    ADMIN = re.compile(r"^admin HTTP listening on http://(\S+):(\d+)")

    def __init__(self, rules=DEFAULT_RULES, *extra, log_path, watch=False, startup_timeout=20):
        _wait_for_binary()
        self.rules = Path(rules)
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "w")
        args = [str(BIN), "run", "--rules", str(rules), "--iec104-listen", "127.0.0.1:0",
                "--ocpp-listen", "127.0.0.1:0", "--admin-listen", "127.0.0.1:0", "--log-format", "json"]
        if not watch:
            args.append("--no-watch")
        args += list(extra)
        for attempt in range(20):  # a rebuild may replace the file between our check and the exec
            try:
                self.proc = subprocess.Popen(args, stdout=subprocess.PIPE, stderr=self._log, text=True, bufsize=1)
                break
            except OSError:
                if attempt == 19:
                    raise
                time.sleep(0.5)
                _wait_for_binary()
        self.lines = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        self.iec104_port = self.ocpp_port = self.admin_port = None
        self.common_address = None
        deadline = time.monotonic() + startup_timeout
        with self._cond:
            while self.admin_port is None:
                self._parse()
                if self.admin_port is not None:
                    break
                remaining = deadline - time.monotonic()
                if remaining <= 0 or (self.proc.poll() is not None and not self._reader.is_alive()):
                    raise AssertionError(f"ocpp809 run did not report its listeners within {startup_timeout} s "
                                         f"(exit {self.proc.poll()}); stdout {self.lines}; log:\n{self.log_tail()}")
                self._cond.wait(min(remaining, 0.1))
        assert self.iec104_port and self.ocpp_port, f"listener lines missing: {self.lines}"
        self.banner = list(self.lines)

    def _read(self):
        for line in self.proc.stdout:
            with self._cond:
                self.lines.append(line.rstrip("\n"))
                self._cond.notify_all()

    def _parse(self):
        for line in self.lines:
            if m := self.STATION.match(line):
                self.iec104_port, self.common_address = int(m.group(2)), int(m.group(3))
            elif (m := self.OCPP.match(line)) and m.group(1) == "ws":
                self.ocpp_port = int(m.group(3))
            elif m := self.ADMIN.match(line):
                self.admin_port = int(m.group(2))

    # ---- the log

    def log_text(self):
        try:
            return self.log_path.read_text(errors="replace")
        except OSError:
            return ""

    def log_tail(self, lines=40):
        return "\n".join(self.log_text().splitlines()[-lines:])

    def log_records(self):
        """The JSON log lines (--log-format json) as dicts; other lines as {"text": line}."""
        records = []
        for line in self.log_text().splitlines():
            try:
                records.append(json.loads(line))
            except ValueError:
                records.append({"text": line})
        return records

    # ---- the admin API

    def admin(self, method, path, timeout=TIMEOUT):
        """(status, content type, body text) of one admin request; HTTP errors are answers, not exceptions."""
        request = urllib.request.Request(f"http://127.0.0.1:{self.admin_port}{path}", method=method,
                                         data=b"" if method == "POST" else None)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read().decode()

    def get_json(self, path, expect=200):
        status, _, body = self.admin("GET", path)
        assert status == expect, f"GET {path}: {status} {body}\n{self.log_tail()}"
        return json.loads(body)

    def post_json(self, path, timeout=15):
        status, _, body = self.admin("POST", path, timeout=timeout)
        return status, json.loads(body)

    def point(self, ioa, ca=1):
        """The /points entry of one address."""
        points = self.get_json("/points")["points"]
        found = [p for p in points if p["ioa"] == ioa and p["ca"] == ca]
        assert len(found) == 1, f"/points has {len(found)} entries for {ca}/{ioa}"
        return found[0]

    def revision(self):
        return self.get_json("/ready")["revision"]

    # ---- signals and the end

    def send_signal(self, sig):
        assert self.proc.poll() is None, f"gateway exited with {self.proc.returncode}:\n{self.log_tail()}"
        self.proc.send_signal(sig)

    def terminate(self, timeout=TIMEOUT):
        """SIGTERM and the exit status (fails when it does not exit within `timeout`)."""
        self.proc.send_signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=TIMEOUT)
            raise AssertionError(f"gateway did not exit within {timeout} s of SIGTERM; log:\n{self.log_tail()}")

    def stop(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=TIMEOUT)
        self._reader.join(timeout=TIMEOUT)
        try:
            self.proc.stdout.close()
        except (OSError, ValueError):
            pass
        self._log.close()


# --------------------------------------------------------------------------------------------- chargers

class LoopThread:
    """One asyncio loop on a daemon thread that every charger of a test runs on."""

    def __init__(self):
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True, name="chargers")
        self.thread.start()

    def submit(self, coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    def run(self, coroutine, timeout=TIMEOUT * 2):
        return self.submit(coroutine).result(timeout)

    def stop(self):
        async def cancel_all():
            tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in tasks:
                task.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
        try:
            self.run(cancel_all(), timeout=TIMEOUT)
        except Exception:  # noqa: BLE001 (teardown: best effort)
            pass
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=TIMEOUT)


class _Recording:
    """Records every CALL the central system sends (raw camelCase payload, arrival time) before the ocpp package
    routes it to its @on handler; actions listed in `owner.silent` are recorded and never answered."""
    owner = None

    async def route_message(self, raw_msg):
        try:
            frame = json.loads(raw_msg)
        except ValueError:
            frame = None
        if isinstance(frame, list) and len(frame) >= 4 and frame[0] == 2:
            self.owner._record(frame[2], frame[3], frame[1])
            if frame[2] in self.owner.silent:
                return
        try:
            await super().route_message(raw_msg)
        except Exception as error:  # noqa: BLE001 (kept for the test to see, rather than ending the receive loop)
            self.owner.errors.append((raw_msg, repr(error)))

    def _status(self, action, default="Accepted"):
        return self.owner.answers.get(action, default)


class RecordingCharger16(_Recording, ChargePoint16):
    @on("SetChargingProfile")
    def on_set_charging_profile(self, connector_id, cs_charging_profiles, **_):
        return result16.SetChargingProfile(status=self._status("SetChargingProfile"))

    @on("ClearChargingProfile")
    def on_clear_charging_profile(self, **_):
        return result16.ClearChargingProfile(status=self._status("ClearChargingProfile"))

    @on("GetCompositeSchedule")
    def on_get_composite_schedule(self, connector_id, duration, **_):
        answer = self._status("GetCompositeSchedule", "Rejected")
        return answer if not isinstance(answer, str) else result16.GetCompositeSchedule(status=answer)

    @on("TriggerMessage")
    def on_trigger_message(self, requested_message, **_):
        return result16.TriggerMessage(status=self._status("TriggerMessage"))

    @on("ChangeAvailability")
    def on_change_availability(self, connector_id, type, **_):
        return result16.ChangeAvailability(status=self._status("ChangeAvailability"))

    @on("Reset")
    def on_reset(self, type, **_):
        return result16.Reset(status=self._status("Reset"))


class RecordingCharger201(_Recording, ChargePoint201):
    @on("SetChargingProfile")
    def on_set_charging_profile(self, evse_id, charging_profile, **_):
        return result201.SetChargingProfile(status=self._status("SetChargingProfile"))

    @on("ClearChargingProfile")
    def on_clear_charging_profile(self, **_):
        return result201.ClearChargingProfile(status=self._status("ClearChargingProfile"))

    @on("GetCompositeSchedule")
    def on_get_composite_schedule(self, duration, evse_id, **_):
        answer = self._status("GetCompositeSchedule", "Rejected")
        return answer if not isinstance(answer, str) else result201.GetCompositeSchedule(status=answer)

    @on("TriggerMessage")
    def on_trigger_message(self, requested_message, **_):
        return result201.TriggerMessage(status=self._status("TriggerMessage"))

    @on("ChangeAvailability")
    def on_change_availability(self, operational_status, **_):
        return result201.ChangeAvailability(status=self._status("ChangeAvailability"))

    @on("Reset")
    def on_reset(self, type, **_):
        return result201.Reset(status=self._status("Reset"))


class Charger:
    """A synchronous facade over one `ocpp` ChargePoint on the shared loop.

    `answers`: action → status string (or a call_result object) the charger answers the central system's requests
    with (default Accepted); `silent`: actions it receives but never answers."""

    def __init__(self, loop, port, identity, version="1.6", answers=None, silent=()):
        assert version in ("1.6", "2.0.1"), version
        self.loop = loop
        self.port = port
        self.identity = identity
        self.version = version
        self.answers = dict(answers or {})
        self.silent = set(silent)
        self.requests = []  # (monotonic time, action, payload, message id)
        self.errors = []  # (frame, error) the ocpp package raised while handling a frame from the gateway
        self._lock = threading.Lock()
        self.ws = None
        self.cp = None
        self._task = None

    def _record(self, action, payload, message_id):
        with self._lock:
            self.requests.append((time.monotonic(), action, payload, message_id))

    # ---- connection

    def connect(self, boot=True):
        subprotocol = "ocpp1.6" if self.version == "1.6" else "ocpp2.0.1"
        cls = RecordingCharger16 if self.version == "1.6" else RecordingCharger201

        async def go():
            ws = await websockets.connect(f"ws://127.0.0.1:{self.port}/{self.identity}", subprotocols=[subprotocol],
                                          open_timeout=TIMEOUT)
            assert ws.subprotocol == subprotocol, ws.subprotocol
            cp = cls(self.identity, ws, response_timeout=TIMEOUT)
            cp.owner = self
            task = asyncio.create_task(cp.start())
            return ws, cp, task

        self.ws, self.cp, self._task = self.loop.run(go())
        if boot:
            if self.version == "1.6":
                answer = self.call(call16.BootNotification(charge_point_model="E2E", charge_point_vendor="ocpp809"))
            else:
                answer = self.call(call201.BootNotification(
                    charging_station={"model": "E2E", "vendor_name": "ocpp809"}, reason="PowerUp"))
            assert answer.status == "Accepted", answer
        return self

    def close(self):
        """Closes the WebSocket (a clean close, as a charger going away does)."""
        if self.ws is None:
            return

        async def go():
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            await self.ws.close()

        try:
            self.loop.run(go(), timeout=TIMEOUT)
        finally:
            self.ws = None

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    # ---- calls

    def call(self, payload, skip_schema_validation=False, timeout=TIMEOUT * 2, unique_id=None):
        """Sends a CALL through the ocpp package (schema-checked unless skipped) and returns its result; a
        CALLERROR raises. `unique_id` repeats a message id on purpose (a retransmission)."""
        return self.loop.run(self.cp.call(payload, suppress=False, skip_schema_validation=skip_schema_validation,
                                          unique_id=unique_id), timeout=timeout)

    def meter_values(self, value, measurand="Power.Active.Import", unit="kW", timestamp=None, context=None,
                     evse=None, multiplier=None, skip_schema_validation=False):
        """One MeterValues with one sampled value. 1.6: `value` as given (a string when conformant), `unit` the
        sampledValue's unit (None leaves it out), connector `evse` (default 1). 2.0.1: `value` a number with
        `unitOfMeasure {unit, multiplier}`, EVSE `evse` (default 0, the main meter)."""
        timestamp = timestamp or utc_now()
        sampled = {"value": value, "measurand": measurand}
        if context:
            sampled["context"] = context
        if self.version == "1.6":
            if unit is not None:
                sampled["unit"] = unit
            payload = call16.MeterValues(connector_id=1 if evse is None else evse,
                                         meter_value=[{"timestamp": iso(timestamp), "sampledValue": [sampled]}])
        else:
            if unit is not None:
                sampled["unitOfMeasure"] = {"unit": unit, **({"multiplier": multiplier} if multiplier is not None
                                                             else {})}
            payload = call201.MeterValues(evse_id=0 if evse is None else evse,
                                          meter_value=[{"timestamp": iso(timestamp), "sampledValue": [sampled]}])
        return self.call(payload, skip_schema_validation=skip_schema_validation)

    def stream_power(self, count, interval=0.2, base=5.0, step=0.5):
        """Starts sending `count` 1.6 MeterValues (Power.Active.Import in kW, each 0.5 kW from the last, so every one
        passes a 0.1 kW deadband) every `interval` seconds; returns (future, sent) where `sent` fills with
        (value, timestamp) as each is answered."""
        assert self.version == "1.6"
        sent = []

        async def go():
            for i in range(count):
                value = base + (i % 20) * step
                timestamp = utc_now()
                await self.cp.call(call16.MeterValues(connector_id=1, meter_value=[{
                    "timestamp": iso(timestamp), "sampledValue": [
                        {"value": f"{value:.1f}", "measurand": "Power.Active.Import", "unit": "kW"}]}]),
                    suppress=False)
                sent.append((value, timestamp))
                await asyncio.sleep(interval)
            return sent

        return self.loop.submit(go()), sent

    # ---- what the central system sent

    def mark(self):
        with self._lock:
            return len(self.requests)

    def received(self, action=None, start=0):
        with self._lock:
            return [(t, a, p) for t, a, p, _ in self.requests[start:] if action is None or a == action]

    def wait_request(self, action, start=0, timeout=TIMEOUT, predicate=None):
        """The first request of `action` at index ≥ start (matching predicate(payload) if given): (time, payload)."""
        def find():
            for t, a, p in self.received(action, start):
                if predicate is None or predicate(p):
                    return t, p
            return None
        return wait_until(find, timeout, message=lambda: f"{self.identity}: a {action} request; received "
                          f"{[(a, p) for _, a, p in self.received(start=start)]}")


# --------------------------------------------------------------------------------------------- the harness

class Harness:
    """Owns what a test starts (gateways, masters, chargers, the charger loop) and tears it down in order:
    chargers, masters, gateways. On teardown it prints each gateway's log tail (shown when the test fails)."""

    def __init__(self, tmp_path):
        self.tmp_path = Path(tmp_path)
        self.gateways = []
        self.masters = []
        self.chargers = []
        self._loop = None

    @property
    def loop(self):
        if self._loop is None:
            self._loop = LoopThread()
        return self._loop

    def rules_copy(self, name="site.yaml"):
        """rules/default.yaml copied into the test's directory (for tests that edit it)."""
        target = self.tmp_path / name
        shutil.copyfile(DEFAULT_RULES, target)
        return target

    def gateway(self, rules=DEFAULT_RULES, *extra, watch=False):
        gateway = GatewayProcess(rules, *extra, log_path=self.tmp_path / f"gateway{len(self.gateways)}.log",
                                 watch=watch)
        self.gateways.append(gateway)
        return gateway

    def master(self, gateway, **options):
        """A c104 master with data transfer started, past the end of initialization."""
        options.setdefault("name", f"master{len(self.masters) + 1}")
        options.setdefault("command_timeout_ms", 6000)
        master = Master(gateway.iec104_port, **options)
        self.masters.append(master)
        master.connect()
        master.wait_asdu(lambda a: a.type == M_EI_NA_1)
        return master

    def charger(self, gateway, identity, version="1.6", connect=True, boot=True, **options):
        charger = Charger(self.loop, gateway.ocpp_port, identity, version, **options)
        self.chargers.append(charger)
        if connect:
            charger.connect(boot=boot)
        return charger

    def close(self):
        for charger in self.chargers:
            if charger.errors:
                print(f"---- {charger.identity}: the ocpp package failed on frames from the gateway ----")
                for frame, error in charger.errors:
                    print(f"  {frame}\n    {error}")
            try:
                charger.close()
            except Exception:  # noqa: BLE001 (teardown: best effort)
                pass
        for master in self.masters:
            master.stop()
        if self._loop is not None:
            self._loop.stop()
        for gateway in self.gateways:
            gateway.stop()
            print(f"---- {gateway.log_path.name} (exit {gateway.proc.returncode}) ----\n{gateway.log_tail(60)}")


@pytest.fixture
def harness(tmp_path):
    h = Harness(tmp_path)
    yield h
    h.close()


def site_points(rules=DEFAULT_RULES):
    """`ocpp809 rules points --format json`: the signal list the gateway serves."""
    _wait_for_binary()
    proc = subprocess.run([str(BIN), "rules", "points", str(rules), "--format", "json"], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


# --------------------------------------------------------------------------------------------- what the master saw

def objects(master, ioa, type_id=None, cause=None, start=0):
    """(asdu, object) pairs for `ioa` in ASDUs received since `start` (of `type_id` and COT `cause` if given)."""
    return [(a, o) for a in master.asdus(start) if (type_id is None or a.type == type_id)
            and (cause is None or a.cause == cause) for o in a.objects if o.ioa == ioa]


def wait_object(master, ioa, type_id, start=0, cause=3, predicate=None, timeout=TIMEOUT, what=None):
    """The first object of `ioa` (type, COT) since `start` that matches predicate(obj): (asdu, object)."""
    def find():
        for asdu, obj in objects(master, ioa, type_id, cause, start):
            if predicate is None or predicate(obj):
                return asdu, obj
        return None
    return wait_until(find, timeout, message=lambda: f"{master.name}: {what or f'type {type_id} COT {cause} IOA {ioa}'}"
                      f"; received since mark:\n{master.dump(start)}")


def arrival_time(master, predicate, start=0):
    """When (monotonic) the first I-frame since `start` whose ASDU matches arrived, or None."""
    from iec104_station import decode_apdu
    with master._lock:
        received = list(master.received[start:])
    for t, data in received:
        frame = decode_apdu(data)
        if frame.kind == "I" and predicate(frame.asdu):
            return t
    return None


def interrogate(master, ca=1, timeout=10):
    """A station interrogation (QOI 20): checks the ACT_CON and ACT_TERM, returns the COT 20 ASDUs between."""
    import c104
    from iec104_station import C_IC_NA_1, COT_ACT_CON, COT_ACT_TERM, COT_STATION
    mark = master.mark()
    master.conn.interrogation(common_address=ca, cause=c104.Cot.ACTIVATION, qualifier=c104.Qoi.STATION)
    cycle = master.wait_cycle(C_IC_NA_1, mark, timeout)
    confirmations = [a for a in cycle if a.type == C_IC_NA_1]
    assert [(a.cause, a.negative) for a in confirmations] == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], cycle
    assert all(a.objects[0].qualifier == 20 for a in confirmations), confirmations
    return [a for a in cycle if a.cause == COT_STATION]


def counter_interrogate(master, ca=1, timeout=10):
    """A general counter interrogation: the COT 37 ASDUs between ACT_CON and ACT_TERM."""
    import c104
    from iec104_station import C_CI_NA_1, COT_ACT_CON, COT_ACT_TERM, COT_COUNTER_GENERAL
    mark = master.mark()
    master.conn.counter_interrogation(common_address=ca, cause=c104.Cot.ACTIVATION, qualifier=c104.Rqt.GENERAL,
                                      freeze=c104.Frz.READ)
    cycle = master.wait_cycle(C_CI_NA_1, mark, timeout)
    confirmations = [a for a in cycle if a.type == C_CI_NA_1]
    assert [(a.cause, a.negative) for a in confirmations] == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], cycle
    return [a for a in cycle if a.cause == COT_COUNTER_GENERAL]


def by_ioa(asdus):
    """{ioa: (asdu, object)}; fails on an IOA reported twice."""
    found = {}
    for asdu in asdus:
        for obj in asdu.objects:
            assert obj.ioa not in found, f"IOA {obj.ioa} reported twice: {asdus}"
            found[obj.ioa] = (asdu, obj)
    return found
