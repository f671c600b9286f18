"""Helpers for the IEC 104 interop tests: the `ocpp809 iec104 serve` station as a subprocess, a c104 (lib60870-C)
master that records every frame it receives and sends, and a small APDU decoder so tests can assert the exact
octets (type id, COT, P/N, S/E, quality, CP56Time2a) rather than what c104 makes of them.

Everything here is bounded in time: every wait has a timeout and raises AssertionError with what was seen."""
import datetime
import json
import struct
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import c104
import pytest

from conftest import BIN, ROOT

FIXTURE = ROOT / "Tests" / "python" / "fixtures" / "station.yaml"
DEFAULT_TIMEOUT = 4.0

# --------------------------------------------------------------------------------------------- constants

M_SP_NA_1, M_ME_NC_1, M_IT_NA_1, M_SP_TB_1, M_ME_TF_1 = 1, 13, 15, 30, 36
C_SE_NC_1, M_EI_NA_1 = 50, 70
C_IC_NA_1, C_CI_NA_1, C_RD_NA_1, C_CS_NA_1, C_TS_TA_1 = 100, 101, 102, 103, 107

COT_SPONTANEOUS, COT_INITIALIZED, COT_REQUEST = 3, 4, 5
COT_ACT, COT_ACT_CON, COT_DEACT, COT_DEACT_CON, COT_ACT_TERM = 6, 7, 8, 9, 10
COT_STATION, COT_COUNTER_GENERAL = 20, 37
COT_UNKNOWN_TYPE, COT_UNKNOWN_CAUSE, COT_UNKNOWN_CA, COT_UNKNOWN_IOA = 44, 45, 46, 47

QDS_OV, QDS_BL, QDS_SB, QDS_NT, QDS_IV = 0x01, 0x10, 0x20, 0x40, 0x80

U_STARTDT_ACT, U_STARTDT_CON = 0x07, 0x0B
U_STOPDT_ACT, U_STOPDT_CON = 0x13, 0x23
U_TESTFR_ACT, U_TESTFR_CON = 0x43, 0x83

# Length of one information element (after the IOA) per type id.
ELEMENT_LENGTH = {
    1: 1, 3: 1, 9: 3, 11: 3, 13: 5, 15: 5, 30: 8, 31: 8, 34: 10, 35: 10, 36: 12, 37: 12,
    45: 1, 46: 1, 48: 3, 49: 3, 50: 5, 58: 8, 59: 8, 61: 10, 62: 10, 63: 12,
    70: 1, 100: 1, 101: 1, 102: 0, 103: 7, 107: 9,
}


# --------------------------------------------------------------------------------------------- decoding

@dataclass
class CP56:
    milliseconds: int  # seconds * 1000 + ms
    minute: int
    hour: int
    day: int
    weekday: int
    month: int
    year: int  # 0..99
    invalid: bool
    summer: bool

    @classmethod
    def decode(cls, b):
        assert len(b) == 7, b.hex()
        return cls(milliseconds=b[0] | b[1] << 8, minute=b[2] & 0x3F, invalid=bool(b[2] & 0x80), hour=b[3] & 0x1F,
                   summer=bool(b[3] & 0x80), day=b[4] & 0x1F, weekday=b[4] >> 5, month=b[5] & 0x0F, year=b[6] & 0x7F)

    def datetime(self):
        """The tag as an aware UTC datetime (the station sends UTC)."""
        return datetime.datetime(2000 + self.year, self.month, self.day, self.hour, self.minute,
                                 self.milliseconds // 1000, (self.milliseconds % 1000) * 1000,
                                 tzinfo=datetime.timezone.utc)


@dataclass
class InfoObject:
    ioa: int
    raw: bytes
    value: object = None
    quality: int = None
    time: CP56 = None
    qualifier: int = None  # QOI, QCC, QOS, COI

    @property
    def select(self):
        """The S/E bit of a set-point's QOS."""
        return bool(self.qualifier & 0x80)


@dataclass
class ASDU:
    type: int
    sequence: bool
    count: int
    cause: int
    negative: bool
    test: bool
    originator: int
    ca: int
    objects: list
    raw: bytes

    def __repr__(self):
        objs = ", ".join(f"{o.ioa}={o.value!r}/q{o.quality}" if o.qualifier is None else f"{o.ioa}:q{o.qualifier}"
                         for o in self.objects)
        return (f"<ASDU type={self.type} cot={self.cause}{' NEG' if self.negative else ''} oa={self.originator} "
                f"ca={self.ca} [{objs}]>")


def decode_element(type_id, b):
    """Decodes one information element (the octets after its IOA)."""
    obj = {}
    if type_id in (1, 30):  # single point (+time): SIQ
        obj.update(value=bool(b[0] & 0x01), quality=b[0] & 0xF0)
    elif type_id in (3, 31):
        obj.update(value=b[0] & 0x03, quality=b[0] & 0xF0)
    elif type_id in (13, 36):  # short float + QDS (+time)
        obj.update(value=struct.unpack("<f", b[0:4])[0], quality=b[4])
    elif type_id in (15, 37):  # BCR: counter + sequence byte (CY 0x20, CA 0x40, IV 0x80)
        obj.update(value=struct.unpack("<i", b[0:4])[0], quality=b[4] & 0xE0)
    elif type_id == 50:  # short float set-point + QOS
        obj.update(value=struct.unpack("<f", b[0:4])[0], qualifier=b[4])
    elif type_id in (70, 100, 101):  # COI, QOI, QCC
        obj.update(qualifier=b[0])
    if type_id in (30, 31, 36, 37):
        obj["time"] = CP56.decode(b[-7:])
    elif type_id == 103:
        obj["time"] = CP56.decode(b[0:7])
    elif type_id == 107:
        obj["time"] = CP56.decode(b[2:9])
    return obj


def decode_asdu(a):
    """Decodes an ASDU (104 profile: 2-octet COT, 2-octet CA, 3-octet IOA). Raises ValueError when the length does
    not match the type and object count: a station that sends such an ASDU is broken."""
    if len(a) < 6:
        raise ValueError(f"ASDU shorter than its header: {a.hex()}")
    type_id, vsq = a[0], a[1]
    sequence, count = bool(vsq & 0x80), vsq & 0x7F
    header = dict(type=type_id, sequence=sequence, count=count, cause=a[2] & 0x3F, negative=bool(a[2] & 0x40),
                  test=bool(a[2] & 0x80), originator=a[3], ca=a[4] | a[5] << 8, raw=bytes(a))
    size = ELEMENT_LENGTH.get(type_id)
    body = a[6:]
    objects = []
    if size is None:
        objects.append(InfoObject(ioa=-1, raw=bytes(body)))
        return ASDU(objects=objects, **header)
    if sequence:
        expected = 3 + count * size
        if len(body) != expected:
            raise ValueError(f"ASDU type {type_id} SQ=1 n={count}: {len(body)} octets, expected {expected}: {a.hex()}")
        base = body[0] | body[1] << 8 | body[2] << 16
        for i in range(count):
            chunk = body[3 + i * size:3 + (i + 1) * size]
            objects.append(InfoObject(ioa=base + i, raw=bytes(chunk), **decode_element(type_id, chunk)))
    else:
        expected = count * (3 + size)
        if len(body) != expected:
            raise ValueError(f"ASDU type {type_id} n={count}: {len(body)} octets, expected {expected}: {a.hex()}")
        for i in range(count):
            chunk = body[i * (3 + size):(i + 1) * (3 + size)]
            objects.append(InfoObject(ioa=chunk[0] | chunk[1] << 8 | chunk[2] << 16, raw=bytes(chunk[3:]),
                                      **decode_element(type_id, chunk[3:])))
    return ASDU(objects=objects, **header)


@dataclass
class Frame:
    kind: str  # "I", "S", "U"
    raw: bytes
    ns: int = None
    nr: int = None
    function: int = None  # U-frame control octet
    asdu: ASDU = None


def decode_apdu(data):
    data = bytes(data)
    if len(data) < 6 or data[0] != 0x68 or data[1] != len(data) - 2:
        raise ValueError(f"not one APDU: {data.hex()}")
    c = data[2:6]
    if c[0] & 0x01 == 0:
        return Frame("I", data, ns=(c[0] | c[1] << 8) >> 1, nr=(c[2] | c[3] << 8) >> 1, asdu=decode_asdu(data[6:]))
    if c[0] & 0x03 == 0x01:
        return Frame("S", data, nr=(c[2] | c[3] << 8) >> 1)
    return Frame("U", data, function=c[0])


def float32(x):
    """x as the station's 32-bit float carries it."""
    return struct.unpack("<f", struct.pack("<f", x))[0]


def wait_until(predicate, timeout=DEFAULT_TIMEOUT, interval=0.02, message="condition"):
    """Polls predicate until it returns something truthy; returns that, or fails after timeout seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if result:
            return result
        if time.monotonic() >= deadline:
            what = message() if callable(message) else message
            raise AssertionError(f"timed out after {timeout} s waiting for {what}")
        time.sleep(interval)


# --------------------------------------------------------------------------------------------- the station

class StationProcess:
    """`ocpp809 iec104 serve` on a loopback port, fed JSON lines on stdin, its stdout events collected."""

    def __init__(self, *extra, log_path, rules=FIXTURE):
        if not Path(BIN).exists():
            pytest.skip(f"ocpp809 binary not built at {BIN} (run swift build or set OCPP809_BIN)")
        self.log_path = Path(log_path)
        self._log = open(self.log_path, "w")
        self.proc = subprocess.Popen([str(BIN), "iec104", "serve", str(rules), "--listen", "127.0.0.1:0", *extra],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._log,
                                     text=True, bufsize=1)
        self.events = []
        self._cond = threading.Condition()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        listening = self.wait_event(lambda e: e.get("event") == "listening", timeout=10, start=0)
        self.listening = listening
        self.address = listening["address"]
        host, port = self.address.rsplit(":", 1)
        assert host == "127.0.0.1", listening
        self.port = int(port)

    def _read(self):
        for line in self.proc.stdout:
            line = line.strip()
            if not line:
                continue
            try:
                event = json.loads(line)
            except ValueError:
                event = {"event": "unparsable", "line": line}
            with self._cond:
                self.events.append(event)
                self._cond.notify_all()

    # ---- output

    def mark(self):
        with self._cond:
            return len(self.events)

    def wait_event(self, predicate, timeout=DEFAULT_TIMEOUT, start=0):
        """The first stdout event at index ≥ start that matches."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                for event in self.events[start:]:
                    if predicate(event):
                        return event
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.proc.poll() is not None and not self._reader.is_alive():
                    raise AssertionError(f"station: no matching stdout event within {timeout} s; events since "
                                         f"{start}: {self.events[start:]}; exit {self.proc.poll()}; "
                                         f"log tail:\n{self.log_tail()}")
                self._cond.wait(min(remaining, 0.1))

    def wait_events(self, predicate, count, timeout=DEFAULT_TIMEOUT, start=0):
        """At least `count` matching events at index ≥ start (returns them all)."""
        def enough():
            with self._cond:
                found = [e for e in self.events[start:] if predicate(e)]
            return found if len(found) >= count else None
        return wait_until(enough, timeout, message=lambda: f"{count} station events; have {self.events[start:]}")

    def commands(self, start=0, ioa=None):
        with self._cond:
            return [e for e in self.events[start:] if e.get("event") == "command" and (ioa is None or e["ioa"] == ioa)]

    def log_tail(self, lines=30):
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    # ---- input

    def send(self, obj):
        assert self.proc.poll() is None, f"station exited with {self.proc.returncode}:\n{self.log_tail()}"
        self.proc.stdin.write(json.dumps(obj) + "\n")
        self.proc.stdin.flush()

    def send_many(self, objs):
        assert self.proc.poll() is None, f"station exited with {self.proc.returncode}:\n{self.log_tail()}"
        self.proc.stdin.write("".join(json.dumps(o) + "\n" for o in objs))
        self.proc.stdin.flush()

    @staticmethod
    def update(ioa, value, quality=None, time=None, cot=None):
        line = {"ioa": ioa, "value": value}
        if quality is not None:
            line["quality"] = list(quality)
        if time is not None:
            line["time"] = time
        if cot is not None:
            line["cot"] = cot
        return line

    def publish(self, ioa, value, quality=None, time=None, cot=None):
        return self.publish_many([self.update(ioa, value, quality, time, cot)])[0]

    def publish_many(self, updates):
        """Writes all updates at once; waits until each has its answer line and fails on any error line."""
        start = self.mark()
        self.send_many(updates)
        answers = self.wait_events(lambda e: e.get("event") in ("published", "error"), len(updates), start=start)
        answers = answers[:len(updates)]
        assert all(a["event"] == "published" for a in answers), answers
        assert [a["ioa"] for a in answers] == [u["ioa"] for u in updates], answers
        return answers

    def answer(self, mode, delay_ms=0):
        """Sets how (and after how long) later commands are answered; the status line written after it comes back
        once the station has read both (input lines are handled in order)."""
        self.send({"answer": mode, "delay_ms": delay_ms})
        self.status()

    def status(self):
        start = self.mark()
        self.send({"status": True})
        return self.wait_event(lambda e: e.get("event") == "status", start=start)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        finally:
            for stream in (self.proc.stdin, self.proc.stdout):
                try:
                    stream.close()
                except (OSError, ValueError):
                    pass
            self._log.close()


# --------------------------------------------------------------------------------------------- the master

class Master:
    """A c104 client with one connection (CA 1 station) that logs every APDU it receives and sends.

    The connection starts muted (c104.Init.MUTED: TCP open, no STARTDT) so a test decides when data transfer starts;
    on a reconnect c104 comes back muted as well, i.e. as a standby connection."""

    def __init__(self, port, *, name="master", originator=0, command_timeout_ms=3000, receive_window=None,
                 confirm_interval=None):
        self.name = name
        self.client = c104.Client(tick_rate_ms=50, command_timeout_ms=command_timeout_ms)
        self.conn = self.client.add_connection(ip="127.0.0.1", port=port, init=c104.Init.MUTED)
        self.conn.originator_address = originator
        if receive_window is not None:
            self.conn.protocol_parameters.receive_window_size = receive_window
        if confirm_interval is not None:
            self.conn.protocol_parameters.confirm_interval = confirm_interval
        self.received = []  # (monotonic time, bytes)
        self.sent = []
        self.states = []
        self.unexpected = []  # (type id, cot, negative, Umc)
        self._lock = threading.Lock()

        def on_receive_raw(connection: c104.Connection, data: bytes) -> None:
            with self._lock:
                self.received.append((time.monotonic(), bytes(data)))

        def on_send_raw(connection: c104.Connection, data: bytes) -> None:
            with self._lock:
                self.sent.append((time.monotonic(), bytes(data)))

        def on_state_change(connection: c104.Connection, state: c104.ConnectionState) -> None:
            with self._lock:
                self.states.append((time.monotonic(), state))

        def on_unexpected_message(connection: c104.Connection, message: c104.IncomingMessage,
                                  cause: c104.Umc) -> None:
            with self._lock:
                self.unexpected.append((int(message.type.value), int(message.cot.value), message.is_negative, cause))

        self.conn.on_receive_raw(callable=on_receive_raw)
        self.conn.on_send_raw(callable=on_send_raw)
        self.conn.on_state_change(callable=on_state_change)
        self.conn.on_unexpected_message(callable=on_unexpected_message)
        self.station = self.conn.add_station(common_address=1)
        self._started = False

    # ---- points

    def point(self, ioa, type_, mode=c104.CommandMode.DIRECT, station=None):
        station = station or self.station
        point = station.add_point(io_address=ioa, type=type_, command_mode=mode)
        assert point is not None, f"c104 refused point {ioa} {type_}"
        return point

    # ---- connection

    def start(self, timeout=DEFAULT_TIMEOUT):
        """Opens TCP (muted: no STARTDT yet)."""
        self.client.start()
        self._started = True
        wait_until(lambda: self.conn.state in (c104.ConnectionState.OPEN_MUTED, c104.ConnectionState.OPEN), timeout,
                   message=lambda: f"{self.name} TCP open (state {self.conn.state})")

    def start_data_transfer(self, timeout=DEFAULT_TIMEOUT):
        """STARTDT (c104's unmute) and wait for STARTDT con (state OPEN)."""
        assert self.conn.unmute(), f"{self.name}: unmute refused in state {self.conn.state}"
        wait_until(lambda: self.conn.state == c104.ConnectionState.OPEN, timeout,
                   message=lambda: f"{self.name} OPEN after STARTDT (state {self.conn.state})")

    def connect(self, timeout=DEFAULT_TIMEOUT):
        self.start(timeout)
        self.start_data_transfer(timeout)
        return self

    def stop(self):
        if self._started:
            self.client.stop()
            self._started = False

    # ---- what arrived

    def mark(self):
        with self._lock:
            return len(self.received)

    def frames(self, start=0):
        with self._lock:
            raw = [data for _, data in self.received[start:]]
        return [decode_apdu(d) for d in raw]

    def sent_frames(self, start=0):
        with self._lock:
            raw = [data for _, data in self.sent[start:]]
        return [decode_apdu(d) for d in raw]

    def asdus(self, start=0):
        return [f.asdu for f in self.frames(start) if f.kind == "I"]

    def dump(self, start=0):
        with self._lock:
            raw = [data for _, data in self.received[start:]]
        return "\n".join(f"  {d.hex()}  {c104.explain_bytes(apdu=d)}" for d in raw) or "  (nothing)"

    def wait_asdus(self, predicate, start=0, timeout=DEFAULT_TIMEOUT, message="ASDUs"):
        """Waits until predicate(list of ASDUs received since start) is truthy; returns the list."""
        def check():
            asdus = self.asdus(start)
            return asdus if predicate(asdus) else None
        return wait_until(check, timeout,
                          message=lambda: f"{self.name}: {message}; received since mark:\n{self.dump(start)}")

    def wait_asdu(self, match, start=0, timeout=DEFAULT_TIMEOUT, message="a matching ASDU"):
        asdus = self.wait_asdus(lambda a: any(match(x) for x in a), start, timeout, message)
        return next(x for x in asdus if match(x))

    def wait_cycle(self, command_type, start, timeout=DEFAULT_TIMEOUT):
        """ASDUs since start up to and including the command's ACT_TERM (or its negative confirmation)."""
        def done(x):
            return x.type == command_type and (x.cause == COT_ACT_TERM or (x.cause == COT_ACT_CON and x.negative))
        asdus = self.wait_asdus(lambda a: any(done(x) for x in a), start, timeout,
                                message=f"type {command_type} ACT_TERM")
        end = next(i for i, x in enumerate(asdus) if done(x))
        return asdus[:end + 1]

    def state_history(self):
        with self._lock:
            return [s for _, s in self.states]


def spontaneous_values(asdus, ioa, type_id=M_ME_TF_1):
    """Values of `ioa` in spontaneous ASDUs of `type_id`, in arrival order."""
    return [o.value for a in asdus if a.type == type_id and a.cause == COT_SPONTANEOUS
            for o in a.objects if o.ioa == ioa]


# --------------------------------------------------------------------------------------------- fixtures

@pytest.fixture
def station_factory(tmp_path):
    """Starts stations (`ocpp809 iec104 serve` on 127.0.0.1:0) with extra arguments; kills them all in teardown."""
    started = []

    def start(*extra):
        station = StationProcess(*extra, log_path=tmp_path / f"station{len(started)}.log")
        started.append(station)
        return station

    yield start
    for station in started:
        station.stop()


@pytest.fixture
def station(station_factory):
    """One station on the fixture site with default options."""
    return station_factory()


@pytest.fixture
def master_factory(station_factory):
    """Creates c104 masters for a station (or a port); stops them all in teardown, before the stations die."""
    masters = []

    def make(target, **options):
        port = target.port if isinstance(target, StationProcess) else int(target)
        options.setdefault("name", f"master{len(masters) + 1}")
        master = Master(port, **options)
        masters.append(master)
        return master

    yield make
    for master in masters:
        master.stop()
