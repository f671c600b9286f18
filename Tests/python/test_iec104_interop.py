"""`ocpp809 iec104 serve` against a real IEC 104 master: c104 (Python bindings of lib60870-C).

Every assertion is on what went over the wire (the raw APDUs c104 hands to on_receive_raw, decoded by
iec104_station.decode_apdu) or on the station's own stdout (command and status events). The site is
Tests/python/fixtures/station.yaml: CA 1, t3 = 2 s, select timeout 5 s; monitor IOAs 10 (M_ME_TF_1, GI, group 1),
12 (M_IT_NA_1, counter group 1), 1000 (M_ME_TF_1, GI), 1001 (M_SP_TB_1, GI, group 2), 1002 (M_IT_NA_1);
command IOAs 20 (C_SE_NC_1, select-before-operate always) and 1050 (C_SE_NC_1, direct execute)."""
import datetime
import time

import c104

from iec104_station import (  # noqa: F401  (fixtures are imported so pytest finds them)
    C_CI_NA_1, C_CS_NA_1, C_IC_NA_1, C_RD_NA_1, C_SE_NC_1, COT_ACT, COT_ACT_CON, COT_ACT_TERM,
    COT_COUNTER_GENERAL, COT_DEACT_CON, COT_INITIALIZED, COT_REQUEST, COT_SPONTANEOUS, COT_STATION,
    COT_UNKNOWN_CA, COT_UNKNOWN_CAUSE, COT_UNKNOWN_IOA, M_EI_NA_1, M_IT_NA_1, M_ME_NC_1, M_ME_TF_1, M_SP_NA_1,
    M_SP_TB_1, QDS_BL, QDS_IV, QDS_NT, QDS_OV, QDS_SB, U_STARTDT_CON, U_STOPDT_CON, U_TESTFR_ACT, U_TESTFR_CON,
    float32, master_factory, spontaneous_values, station, station_factory, wait_until,
)

CA = 1
GI_MEMBERS = {10: M_ME_NC_1, 1000: M_ME_NC_1, 1001: M_SP_NA_1}
COUNTERS = {12, 1002}


def objects_by_ioa(asdus):
    """{ioa: (asdu, object)} over the ASDUs; fails on an IOA reported twice."""
    found = {}
    for asdu in asdus:
        for obj in asdu.objects:
            assert obj.ioa not in found, f"IOA {obj.ioa} reported twice: {asdus}"
            found[obj.ioa] = (asdu, obj)
    return found


def check_confirmation(asdu, type_id, cause, originator=0, qualifier=None, negative=False):
    assert asdu.type == type_id, asdu
    assert asdu.cause == cause, asdu
    assert asdu.negative is negative, asdu
    assert asdu.originator == originator, f"originator address not echoed: {asdu}"
    assert asdu.ca == CA, asdu
    if qualifier is not None:
        assert asdu.objects[0].qualifier == qualifier, asdu


def interrogate(master, qualifier, qoi_value, originator=0):
    """Runs one (group) interrogation; returns the data ASDUs between the checked ACT_CON and ACT_TERM."""
    mark = master.mark()
    assert master.conn.interrogation(common_address=CA, cause=c104.Cot.ACTIVATION, qualifier=qualifier)
    cycle = master.wait_cycle(C_IC_NA_1, mark)
    check_confirmation(cycle[0], C_IC_NA_1, COT_ACT_CON, originator, qoi_value)
    check_confirmation(cycle[-1], C_IC_NA_1, COT_ACT_TERM, originator, qoi_value)
    return cycle[1:-1]


def counter_interrogate(master, rqt, qcc_value, originator=0):
    mark = master.mark()
    assert master.conn.counter_interrogation(common_address=CA, cause=c104.Cot.ACTIVATION, qualifier=rqt,
                                             freeze=c104.Frz.READ)
    cycle = master.wait_cycle(C_CI_NA_1, mark)
    check_confirmation(cycle[0], C_CI_NA_1, COT_ACT_CON, originator, qcc_value)
    check_confirmation(cycle[-1], C_CI_NA_1, COT_ACT_TERM, originator, qcc_value)
    return cycle[1:-1]


def connected(master_factory, station, **options):
    """The station's first master, data transfer started and past the end of initialization (M_EI_NA_1), so
    that does not mix with what the test asks for."""
    master = master_factory(station, **options).connect()
    master.wait_asdu(lambda a: a.type == M_EI_NA_1)
    return master


# ============================================================================================ 1. connect

def test_startdt_opens_data_transfer_and_end_of_initialization_comes_first(station, master_factory):
    master = master_factory(station)
    master.start()
    assert master.conn.state == c104.ConnectionState.OPEN_MUTED
    time.sleep(0.3)
    assert master.asdus() == [], "the station sent I-frames before STARTDT"
    assert station.status()["active_master"] is False

    master.start_data_transfer()
    assert master.conn.state == c104.ConnectionState.OPEN
    first = master.wait_asdus(lambda a: len(a) >= 1)[0]
    assert first.type == M_EI_NA_1 and first.cause == COT_INITIALIZED and not first.negative, first
    assert first.ca == CA and [o.ioa for o in first.objects] == [0], first

    frames = master.frames()
    startdt_con = next(i for i, f in enumerate(frames) if f.kind == "U" and f.function == U_STARTDT_CON)
    first_i = next(i for i, f in enumerate(frames) if f.kind == "I")
    assert startdt_con < first_i
    assert frames[first_i].ns == 0

    status = station.status()
    assert status["active_master"] is True
    assert len(status["connections"]) == 1 and status["connections"][0]["active"] is True
    time.sleep(0.3)
    assert [a.type for a in master.asdus()].count(M_EI_NA_1) == 1, "end of initialization sent more than once"


# ============================================================================================ 2. interrogations

def test_general_interrogation_reports_every_member_untimed_then_published_values(station, master_factory):
    master = connected(master_factory, station, originator=7)

    data = interrogate(master, c104.Qoi.STATION, 20, originator=7)
    found = objects_by_ioa(data)
    assert set(found) == set(GI_MEMBERS), f"GI members {sorted(found)} (counters must not be in a GI): {data}"
    for ioa, type_id in GI_MEMBERS.items():
        asdu, obj = found[ioa]
        assert asdu.type == type_id, f"IOA {ioa}: GI must use the untimed type {type_id}: {asdu}"
        assert asdu.cause == COT_STATION and not asdu.negative and asdu.ca == CA, asdu
        assert asdu.originator == 7, f"originator address not echoed in GI data: {asdu}"
        assert obj.quality == QDS_IV | QDS_NT, f"IOA {ioa} never published must be IV+NT: {asdu}"
        assert obj.value in (0.0, False), asdu

    # Image-only updates: nothing spontaneous goes out, the next GI reports them.
    mark = master.mark()
    station.publish_many([
        station.update(10, 3.25, cot="image"),
        station.update(1000, -7.5, quality=["SB"], time="2026-11-24T10:00:00.250Z", cot="image"),
        station.update(1001, True, cot="image"),
    ])
    time.sleep(0.4)
    assert master.asdus(mark) == [], "an image-only publish was sent"

    found = objects_by_ioa(interrogate(master, c104.Qoi.STATION, 20, originator=7))
    assert set(found) == set(GI_MEMBERS)
    assert found[10][0].type == M_ME_NC_1 and found[10][1].value == 3.25 and found[10][1].quality == 0
    assert found[1000][0].type == M_ME_NC_1 and found[1000][1].value == -7.5 and found[1000][1].quality == QDS_SB
    assert found[1001][0].type == M_SP_NA_1 and found[1001][1].value is True and found[1001][1].quality == 0
    assert all(a.cause == COT_STATION for a, _ in found.values())


def test_group_interrogation_returns_only_the_group(station, master_factory):
    master = connected(master_factory, station)

    group1 = interrogate(master, c104.Qoi.GROUP_1, 21)
    found = objects_by_ioa(group1)
    assert set(found) == {10}, group1
    assert found[10][0].type == M_ME_NC_1 and found[10][0].cause == 21, group1

    group2 = interrogate(master, c104.Qoi.GROUP_2, 22)
    found = objects_by_ioa(group2)
    assert set(found) == {1001}, group2
    assert found[1001][0].type == M_SP_NA_1 and found[1001][0].cause == 22, group2

    assert interrogate(master, c104.Qoi.GROUP_3, 23) == [], "group 3 has no members"


def test_counter_interrogation_returns_the_totals(station, master_factory):
    master = connected(master_factory, station)

    data = counter_interrogate(master, c104.Rqt.GENERAL, 5)
    found = objects_by_ioa(data)
    assert set(found) == COUNTERS, data
    for ioa in COUNTERS:
        asdu, obj = found[ioa]
        assert asdu.type == M_IT_NA_1 and asdu.cause == COT_COUNTER_GENERAL and not asdu.negative, asdu
        assert obj.quality & 0x80, f"a counter never published must carry IV: {asdu}"

    station.publish_many([station.update(12, 123456, cot="image"), station.update(1002, 789, cot="image")])
    found = objects_by_ioa(counter_interrogate(master, c104.Rqt.GENERAL, 5))
    assert set(found) == COUNTERS
    assert found[12][1].value == 123456 and found[12][1].quality == 0, found[12][0]
    assert found[1002][1].value == 789 and found[1002][1].quality == 0, found[1002][0]
    assert all(a.type == M_IT_NA_1 and a.cause == COT_COUNTER_GENERAL for a, _ in found.values())

    group1 = counter_interrogate(master, c104.Rqt.GROUP_1, 1)
    found = objects_by_ioa(group1)
    assert set(found) == {12}, f"counter group 1 is IOA 12 only: {group1}"
    assert found[12][0].type == M_IT_NA_1 and found[12][0].cause == 38 and found[12][1].value == 123456


def test_broadcast_requests_are_answered_with_the_station_address(station, master_factory):
    """IEC 60870-5-101 7.2.4 (used by 104): the global address 65535 is for the control direction only; a station
    answers a broadcast with ASDUs that carry its own common address. lib60870-C's server (c104.Server) does so:
    its ACT_CON/ACT_TERM to a broadcast C_IC_NA_1 or C_CS_NA_1 carry CA 1, not 65535."""
    master = connected(master_factory, station)
    requests = [
        (C_IC_NA_1, lambda: master.conn.interrogation(common_address=65535, qualifier=c104.Qoi.STATION)),
        (C_CI_NA_1, lambda: master.conn.counter_interrogation(common_address=65535)),
        (C_CS_NA_1, lambda: master.conn.clock_sync(common_address=65535)),
    ]
    for type_id, request in requests:
        mark = master.mark()
        assert request() is True
        if type_id == C_CS_NA_1:
            answers = [master.wait_asdu(lambda a: a.type == C_CS_NA_1, mark)]
        else:
            answers = master.wait_cycle(type_id, mark)
        assert answers[0].cause == COT_ACT_CON and not answers[0].negative, answers
        assert len(answers) == 1 or len(answers) > 2, answers
        wrong = [a for a in answers if a.ca != CA]
        assert wrong == [], f"answers to a broadcast type {type_id} must carry the station's CA {CA}: {wrong}"


# ============================================================================================ 3. spontaneous

def test_spontaneous_update_carries_type_float_time_and_quality(station, master_factory):
    master = connected(master_factory, station)
    point = master.point(1000, c104.Type.M_ME_TF_1)

    mark = master.mark()
    station.publish(1000, 12.5, quality=["NT"], time="2026-11-24T10:17:42.123Z")
    asdu = master.wait_asdu(lambda a: a.type == M_ME_TF_1 and a.cause == COT_SPONTANEOUS, mark)
    assert not asdu.negative and asdu.ca == CA and len(asdu.objects) == 1, asdu
    obj = asdu.objects[0]
    assert obj.ioa == 1000 and obj.value == 12.5 and obj.quality == QDS_NT, asdu
    tag = obj.time
    assert not tag.invalid, tag
    assert (tag.year, tag.month, tag.day, tag.hour, tag.minute, tag.milliseconds) == (26, 11, 24, 10, 17, 42123), tag
    assert tag.weekday in (0, 2), f"2026-11-24 is a Tuesday (day of week 2, or 0 = not used): {tag}"
    wait_until(lambda: point.value == 12.5, message="c104 point value 12.5")

    # Each quality bit lands where IEC 60870-5-101 7.2.6.3 puts it.
    cases = [(["IV", "NT"], QDS_IV | QDS_NT), (["SB"], QDS_SB), (["BL", "OV"], QDS_BL | QDS_OV), (None, 0)]
    for index, (names, bits) in enumerate(cases):
        mark = master.mark()
        station.publish(1000, 100.0 + index, quality=names, time="2026-11-24T10:00:00.250Z")
        asdu = master.wait_asdu(lambda a: a.type == M_ME_TF_1 and a.cause == COT_SPONTANEOUS, mark)
        assert asdu.objects[0].value == 100.0 + index and asdu.objects[0].quality == bits, (names, asdu)
        assert asdu.objects[0].time.milliseconds == 250 and asdu.objects[0].time.hour == 10

    # No time given: the station stamps its own clock, in UTC.
    mark = master.mark()
    before = datetime.datetime.now(datetime.timezone.utc)
    station.publish(1000, 5.0)
    asdu = master.wait_asdu(lambda a: a.type == M_ME_TF_1 and a.cause == COT_SPONTANEOUS, mark)
    after = datetime.datetime.now(datetime.timezone.utc)
    stamped = asdu.objects[0].time
    assert not stamped.invalid
    assert before - datetime.timedelta(seconds=2) <= stamped.datetime() <= after + datetime.timedelta(seconds=2), \
        f"station time tag {stamped.datetime()} is not the current UTC time ({before}..{after})"

    # A single point goes out as M_SP_TB_1 with its SIQ and tag.
    mark = master.mark()
    station.publish(1001, True, time="2026-11-24T23:59:59.999Z")
    asdu = master.wait_asdu(lambda a: a.type == M_SP_TB_1, mark)
    assert asdu.cause == COT_SPONTANEOUS and asdu.objects[0].ioa == 1001, asdu
    assert asdu.objects[0].value is True and asdu.objects[0].quality == 0, asdu
    tag = asdu.objects[0].time
    assert (tag.day, tag.hour, tag.minute, tag.milliseconds) == (24, 23, 59, 59999), tag


def test_quick_publishes_arrive_in_order(station, master_factory):
    master = connected(master_factory, station)
    values = [float32(1000.0 + i * 0.1) for i in range(30)]
    mark = master.mark()
    station.publish_many([station.update(1000, v, time="2026-11-24T10:00:00.000Z") for v in values])
    asdus = master.wait_asdus(lambda a: len(spontaneous_values(a, 1000)) >= len(values), mark)
    time.sleep(0.3)
    assert spontaneous_values(master.asdus(mark), 1000) == values


# ============================================================================================ 4–7. commands

def test_select_and_execute_on_sbo_point(station, master_factory):
    master = connected(master_factory, station, originator=9)
    point = master.point(20, c104.Type.C_SE_NC_1, c104.CommandMode.SELECT_AND_EXECUTE)
    point.value = 10.0
    events = station.mark()
    mark = master.mark()
    assert point.transmit(cause=c104.Cot.ACTIVATION) is True

    commands = station.wait_events(lambda e: e.get("event") == "command", 2, start=events)
    assert [(c["ioa"], c["phase"], c["value"], c["answer"], c["type"], c["originator"]) for c in commands] == [
        (20, "select", 10.0, "accepted", "C_SE_NC_1", 9),
        (20, "execute", 10.0, "accepted", "C_SE_NC_1", 9),
    ]
    replies = [a for a in master.wait_cycle(C_SE_NC_1, mark) if a.type == C_SE_NC_1]
    assert [(a.cause, a.negative, a.objects[0].select) for a in replies] == [
        (COT_ACT_CON, False, True), (COT_ACT_CON, False, False), (COT_ACT_TERM, False, False)], replies
    assert all(a.objects[0].ioa == 20 and a.objects[0].value == 10.0 and a.originator == 9 for a in replies)
    assert station.status()["commands_accepted"] >= 2


def test_direct_execute_refused_on_sbo_point_and_accepted_on_direct_point(station, master_factory):
    master = connected(master_factory, station)
    sbo = master.point(20, c104.Type.C_SE_NC_1)  # DIRECT mode: an execute without a select
    sbo.value = 5.0
    events = station.mark()
    mark = master.mark()
    assert sbo.transmit(cause=c104.Cot.ACTIVATION) is False

    reply = master.wait_asdu(lambda a: a.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative, f"execute without select must be a negative ACT_CON: {reply}"
    assert reply.raw[2] == 0x40 | COT_ACT_CON
    assert reply.objects[0].ioa == 20 and reply.objects[0].value == 5.0 and not reply.objects[0].select
    time.sleep(0.3)
    assert station.commands(events, ioa=20) == [], "a refused execute reached the handler"
    assert not any(a.type == C_SE_NC_1 and a.cause == COT_ACT_TERM for a in master.asdus(mark))
    status = station.status()
    assert status["commands_refused"] == 1 and status["commands_accepted"] == 0

    direct = master.point(1050, c104.Type.C_SE_NC_1)
    direct.value = 11.0
    mark = master.mark()
    assert direct.transmit(cause=c104.Cot.ACTIVATION) is True
    command = station.wait_event(lambda e: e.get("event") == "command", start=events)
    assert (command["ioa"], command["phase"], command["value"], command["answer"]) == \
        (1050, "execute", 11.0, "accepted")
    replies = [a for a in master.wait_cycle(C_SE_NC_1, mark) if a.type == C_SE_NC_1]
    assert [(a.cause, a.negative) for a in replies] == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], replies


def test_handler_rejection_is_a_negative_confirmation(station, master_factory):
    master = connected(master_factory, station)
    station.answer("reject")
    direct = master.point(1050, c104.Type.C_SE_NC_1)
    direct.value = 12.0
    events = station.mark()
    mark = master.mark()
    assert direct.transmit(cause=c104.Cot.ACTIVATION) is False
    reply = master.wait_asdu(lambda a: a.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative and reply.objects[0].ioa == 1050, reply
    command = station.wait_event(lambda e: e.get("event") == "command", start=events)
    assert (command["ioa"], command["phase"], command["answer"]) == (1050, "execute", "rejected")
    time.sleep(0.3)
    assert not any(a.cause == COT_ACT_TERM for a in master.asdus(mark)), "a rejected command was terminated"

    # A rejected select: negative ACT_CON with S/E set, and no execute follows.
    sbo = master.point(20, c104.Type.C_SE_NC_1, c104.CommandMode.SELECT_AND_EXECUTE)
    sbo.value = 30.0
    events = station.mark()
    mark = master.mark()
    assert sbo.transmit(cause=c104.Cot.ACTIVATION) is False
    reply = master.wait_asdu(lambda a: a.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative and reply.objects[0].select, reply
    time.sleep(0.3)
    assert [(c["phase"], c["answer"]) for c in station.commands(events)] == [("select", "rejected")]

    # Back to accept: the same command goes through.
    station.answer("accept")
    mark = master.mark()
    assert direct.transmit(cause=c104.Cot.ACTIVATION) is True
    replies = [a for a in master.wait_cycle(C_SE_NC_1, mark) if a.type == C_SE_NC_1]
    assert [(a.cause, a.negative) for a in replies] == [(COT_ACT_CON, False), (COT_ACT_TERM, False)], replies


def test_unknown_ioa_common_address_and_cause_are_mirrored_negative(station, master_factory):
    master = connected(master_factory, station)
    events = station.mark()

    unknown = master.point(4242, c104.Type.C_SE_NC_1)
    unknown.value = 1.0
    mark = master.mark()
    assert unknown.transmit(cause=c104.Cot.ACTIVATION) is False
    reply = master.wait_asdu(lambda a: a.type == C_SE_NC_1, mark)
    assert reply.raw[2] == 0x40 | COT_UNKNOWN_IOA, f"COT octet {reply.raw[2]:#04x}: {reply}"
    assert reply.objects[0].ioa == 4242 and reply.ca == CA, reply

    unread = master.point(4243, c104.Type.M_ME_TF_1)
    mark = master.mark()
    assert unread.read() is False
    reply = master.wait_asdu(lambda a: a.type == C_RD_NA_1, mark)
    assert reply.raw[2] == 0x40 | COT_UNKNOWN_IOA and reply.objects[0].ioa == 4243, reply

    other = master.conn.add_station(common_address=2)
    wrong_ca = master.point(20, c104.Type.C_SE_NC_1, station=other)
    wrong_ca.value = 1.0
    mark = master.mark()
    assert wrong_ca.transmit(cause=c104.Cot.ACTIVATION) is False
    reply = master.wait_asdu(lambda a: a.type == C_SE_NC_1, mark)
    assert reply.raw[2] == 0x40 | COT_UNKNOWN_CA and reply.ca == 2, reply

    wrong_cause = master.point(1050, c104.Type.C_SE_NC_1)
    wrong_cause.value = 1.0
    mark = master.mark()
    assert wrong_cause.transmit(cause=c104.Cot.SPONTANEOUS) is False
    reply = master.wait_asdu(lambda a: a.type == C_SE_NC_1, mark)
    assert reply.raw[2] == 0x40 | COT_UNKNOWN_CAUSE and reply.objects[0].ioa == 1050, reply

    time.sleep(0.3)
    assert station.commands(events) == [], "a command with a bad address or cause reached the handler"
    assert station.status()["unknown_ioa"] == 2


# ============================================================================================ 8. event queue

def test_events_published_while_no_master_is_connected_arrive_in_order_after_reconnect(station, master_factory):
    first = master_factory(station, receive_window=1).connect()  # w = 1: c104 acknowledges every I-frame at once
    first.wait_asdu(lambda a: a.type == M_EI_NA_1)
    wait_until(lambda: any(f.kind == "S" and f.nr >= 1 for f in first.sent_frames()), message="ack of M_EI_NA_1")
    time.sleep(0.2)
    first.stop()
    wait_until(lambda: station.status()["connections"] == [], message="the station to see the master go")

    values = [float32(i + 0.5) for i in range(20)]
    station.publish_many([station.update(1000, v, time="2026-11-24T10:00:00.000Z") for v in values])
    status = station.status()
    assert status["active_master"] is False and status["queued_events"] == 20, status

    second = master_factory(station, name="second").connect()
    asdus = second.wait_asdus(lambda a: len(spontaneous_values(a, 1000)) >= len(values))
    time.sleep(0.3)
    asdus = second.asdus()
    assert spontaneous_values(asdus, 1000) == values, "queued events lost, duplicated or reordered"
    assert M_EI_NA_1 not in [a.type for a in asdus], "end of initialization sent again to a later master"
    status = station.status()
    assert status["events_sent"] >= len(values) and status["events_dropped"] == 0, status
    assert status["queued_events"] == 0, status


def test_events_published_during_stopdt_arrive_after_startdt(station, master_factory):
    master = connected(master_factory, station)
    mark = master.mark()
    assert master.conn.mute()  # STOPDT act
    wait_until(lambda: any(f.kind == "U" and f.function == U_STOPDT_CON for f in master.frames(mark)),
               message="STOPDT con")
    assert station.status()["active_master"] is False
    values = [float32(50.0 + i) for i in range(5)]
    station.publish_many([station.update(1000, v, time="2026-11-24T10:00:00.000Z") for v in values])
    time.sleep(0.3)
    assert master.asdus(mark) == [], "I-frames sent after STOPDT con"
    assert station.status()["queued_events"] == 5
    master.start_data_transfer()
    master.wait_asdus(lambda a: len(spontaneous_values(a, 1000)) >= 5, mark)
    time.sleep(0.2)
    assert spontaneous_values(master.asdus(mark), 1000) == values


def test_queue_overflow_drops_the_oldest_and_counts_them(station_factory, master_factory):
    station = station_factory("--queue-capacity", "5")
    values = [float32(200.0 + i) for i in range(12)]
    station.publish_many([station.update(1000, v, time="2026-11-24T10:00:00.000Z") for v in values])
    status = station.status()
    assert status["queued_events"] == 5 and status["events_dropped"] == 7, status

    master = master_factory(station).connect()
    master.wait_asdus(lambda a: len(spontaneous_values(a, 1000)) >= 5)
    time.sleep(0.3)
    assert spontaneous_values(master.asdus(), 1000) == values[-5:], "not exactly the 5 newest events"
    status = station.status()
    assert status["events_dropped"] == 7 and status["events_sent"] == 5 and status["queued_events"] == 0, status


# ============================================================================================ 9. t3

def test_idle_link_is_kept_alive_with_test_frames(station, master_factory):
    master = connected(master_factory, station)
    mark = master.mark()
    time.sleep(4.6)  # > 2 × t3 (2 s)
    assert master.conn.state == c104.ConnectionState.OPEN
    assert c104.ConnectionState.CLOSED_AWAIT_RECONNECT not in master.state_history()
    tests = [f for f in master.frames(mark) if f.kind == "U" and f.function == U_TESTFR_ACT]
    assert len(tests) >= 1, f"no TESTFR act from the station in 4.6 s of silence (t3 = 2 s):\n{master.dump(mark)}"
    assert any(f.kind == "U" and f.function == U_TESTFR_CON for f in master.sent_frames()), "c104 never confirmed"
    status = station.status()
    assert status["t3_test_frames"] >= 1 and status["test_frames_confirmed"] >= 1, status
    assert len(status["connections"]) == 1 and status["connections"][0]["active"] is True, status


# ============================================================================================ 10. clock, read

def test_clock_sync_and_read(station, master_factory):
    # A longer command timeout: read() once timed out on a machine busy with a fuzzer on the other core.
    master = connected(master_factory, station, command_timeout_ms=8000)
    mark = master.mark()
    assert master.conn.clock_sync(common_address=CA) is True
    con = master.wait_asdu(lambda a: a.type == C_CS_NA_1, mark)
    check_confirmation(con, C_CS_NA_1, COT_ACT_CON)

    station.publish(1000, 42.25, quality=["NT"], time="2026-11-24T10:00:01.500Z", cot="image")
    point = master.point(1000, c104.Type.M_ME_TF_1)
    mark = master.mark()
    assert point.read() is True, master.dump(mark)
    reply = master.wait_asdu(lambda a: a.type != C_RD_NA_1, mark)
    assert reply.type == M_ME_TF_1 and reply.cause == COT_REQUEST and not reply.negative, reply
    obj = reply.objects[0]
    assert obj.ioa == 1000 and obj.value == 42.25 and obj.quality == QDS_NT, reply
    assert (obj.time.hour, obj.time.minute, obj.time.milliseconds) == (10, 0, 1500) and not obj.time.invalid
    wait_until(lambda: point.value == 42.25, message="c104 point value after read")


# ============================================================================================ 11. redundancy

def test_startdt_on_a_second_connection_takes_over_and_gets_unacknowledged_events(station, master_factory):
    # c104 acknowledges after w = 8 I-frames or t2, so these stay unacknowledged on A for now. t2 is 14 s, just
    # under the station's t1 of 15 s, so that a slow, loaded machine does not let A acknowledge before the switch.
    a = master_factory(station, name="A", confirm_interval=14).connect()
    a.wait_asdu(lambda x: x.type == M_EI_NA_1)
    values = [float32(300.0 + i) for i in range(3)]
    mark_a = a.mark()
    station.publish_many([station.update(1000, v, time="2026-11-24T10:00:00.000Z") for v in values])
    a.wait_asdus(lambda x: len(spontaneous_values(x, 1000)) == 3, mark_a)

    b = master_factory(station, name="B")
    b.start()  # standby: connected, no STARTDT
    assert station.status()["connections"][0]["active"] is True
    b.start_data_transfer()
    wait_until(lambda: c104.ConnectionState.CLOSED_AWAIT_RECONNECT in a.state_history(),
               message="the station to close A after B's STARTDT")
    def switched():
        status = station.status()
        return status if status["active_master"] and status["switchovers"] >= 1 else None
    status = wait_until(switched, message="switch-over in status")
    active = [c for c in status["connections"] if c["active"]]
    assert len(active) == 1, status

    # What A had not acknowledged when it was closed comes again on B, in order, ahead of anything newer
    # (at-least-once: an ack A sent while the station was already closing it may not count, so B may also get a
    # few of A's acknowledged events again, but only as the tail of A's sequence).
    startdt_b = next(t for t, data in b.sent if data[2] == 0x07)
    acked_by_a = max([0] + [f.nr for (t, _), f in zip(a.sent, a.sent_frames()) if f.nr is not None and t < startdt_b])
    a_frames = [f for f in a.frames() if f.kind == "I"]
    a_values = spontaneous_values([f.asdu for f in a_frames], 1000)
    must_resend = spontaneous_values([f.asdu for f in a_frames if f.ns >= acked_by_a], 1000)
    assert a_values == values and must_resend == values, \
        f"A acknowledged the events before the switch-over, nothing left to test: acked {acked_by_a}"
    mark_a = a.mark()
    station.publish(1000, 999.0, time="2026-11-24T10:00:00.000Z")
    received = b.wait_asdus(lambda x: 999.0 in spontaneous_values(x, 1000))
    on_b = spontaneous_values(received, 1000)
    assert on_b[-1] == 999.0
    resent = on_b[:-1]
    assert resent == a_values[len(a_values) - len(resent):] and len(resent) >= len(must_resend), \
        f"A's unacknowledged events {must_resend} not resent in order on B before newer ones: B got {on_b}"
    assert station.status()["asdus_requeued"] >= 1
    time.sleep(0.3)
    assert spontaneous_values(a.asdus(mark_a), 1000) == [], "the standby (reconnected) A got an event"


# ============================================================================================ 12. selections

def bare_select(master, point, value, station, attempts=3):
    """A select with no execute after it: c104 sends the select and, with a 1 ms command timeout, gives up before
    the ACT_CON arrives, so it never sends the execute. The station's handler waits 100 ms before answering, so the
    ACT_CON can never beat c104's timeout, however fast the station is. Returns the positive select ACT_CON."""
    station.answer("accept", delay_ms=100)
    try:
        return _bare_select(master, point, value, station, attempts)
    finally:
        station.answer("accept")


def _bare_select(master, point, value, station, attempts):
    for _ in range(attempts):
        events = station.mark()
        sent_mark = len(master.sent)
        mark = master.mark()
        point.command_mode = c104.CommandMode.SELECT_AND_EXECUTE
        point.value = value
        point.transmit(cause=c104.Cot.ACTIVATION)
        con = master.wait_asdu(lambda a: a.type == C_SE_NC_1 and a.cause == COT_ACT_CON, mark)
        time.sleep(0.2)
        commands = [a for a in (f.asdu for f in master.sent_frames(sent_mark) if f.kind == "I") if a.type == C_SE_NC_1]
        if len(commands) == 1:
            assert commands[0].objects[0].select and commands[0].cause == COT_ACT
            assert not con.negative and con.objects[0].select and con.objects[0].value == value, con
            assert [(c["phase"], c["answer"]) for c in station.commands(events)] == [("select", "accepted")]
            return con
    raise AssertionError("c104 kept sending the execute after the select; cannot hold a selection")


def test_selection_lapses_on_deactivation_and_never_passes_to_another_master(station, master_factory):
    a = connected(master_factory, station, name="A", originator=1, command_timeout_ms=1)
    point = a.point(20, c104.Type.C_SE_NC_1)

    # DEACT of a held selection → positive DEACT_CON; an execute after it is refused.
    bare_select(a, point, 15.0, station)
    mark = a.mark()
    point.command_mode = c104.CommandMode.DIRECT
    point.transmit(cause=c104.Cot.DEACTIVATION)
    reply = a.wait_asdu(lambda x: x.type == C_SE_NC_1, mark)
    assert reply.cause == COT_DEACT_CON and not reply.negative, reply
    events = station.mark()
    mark = a.mark()
    point.transmit(cause=c104.Cot.ACTIVATION)
    reply = a.wait_asdu(lambda x: x.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative, f"execute after DEACT must be refused: {reply}"
    assert station.commands(events) == []

    # An execute whose value differs from the selected one is refused and reaches no handler.
    bare_select(a, point, 15.0, station)
    events = station.mark()
    mark = a.mark()
    point.command_mode = c104.CommandMode.DIRECT
    point.value = 14.0
    point.transmit(cause=c104.Cot.ACTIVATION)
    reply = a.wait_asdu(lambda x: x.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative, f"execute of another value than selected: {reply}"
    time.sleep(0.2)
    assert station.commands(events) == []

    # A selects and holds the point. B can only send commands once it has started data transfer, which makes it the
    # active connection and closes A: A's selection dies with A's connection and must not pass to B.
    bare_select(a, point, 15.0, station)
    b = master_factory(station, name="B", originator=2).connect()
    wait_until(lambda: c104.ConnectionState.CLOSED_AWAIT_RECONNECT in a.state_history(), message="A closed")
    events = station.mark()
    b_exec = b.point(20, c104.Type.C_SE_NC_1)
    b_exec.value = 15.0
    mark = b.mark()
    assert b_exec.transmit(cause=c104.Cot.ACTIVATION) is False, "B executed on A's selection"
    reply = b.wait_asdu(lambda x: x.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative, reply

    b_exec.command_mode = c104.CommandMode.SELECT_AND_EXECUTE
    b_exec.value = 16.0
    assert b_exec.transmit(cause=c104.Cot.ACTIVATION) is True, "B could not select after A's connection closed"
    commands = station.wait_events(lambda e: e.get("event") == "command", 2, start=events)
    assert [(c["phase"], c["value"], c["originator"], c["answer"]) for c in commands] == [
        ("select", 16.0, 2, "accepted"), ("execute", 16.0, 2, "accepted")]


def test_selection_expires_after_the_select_timeout(station, master_factory):
    a = connected(master_factory, station, command_timeout_ms=1)
    point = a.point(20, c104.Type.C_SE_NC_1)
    bare_select(a, point, 17.0, station)
    time.sleep(5.4)  # select_timeout: 5 s
    events = station.mark()
    mark = a.mark()
    point.command_mode = c104.CommandMode.DIRECT
    point.transmit(cause=c104.Cot.ACTIVATION)
    reply = a.wait_asdu(lambda x: x.type == C_SE_NC_1, mark)
    assert reply.cause == COT_ACT_CON and reply.negative, f"execute after the select timeout must be refused: {reply}"
    time.sleep(0.2)
    assert station.commands(events) == []


# ============================================================================================ bad bytes

def test_garbage_on_the_port_closes_only_that_connection(station, master_factory):
    import socket
    master = connected(master_factory, station)
    for garbage in (b"GET / HTTP/1.1\r\n\r\n", b"\x68\x02\x00\x00", b"\x68\x04\x43\x00\x00\x01"):
        with socket.create_connection(("127.0.0.1", station.port), timeout=3) as intruder:
            intruder.sendall(garbage)
            intruder.settimeout(3)
            # The station answers nothing and closes: recv returns b"" (orderly close) or the peer resets.
            try:
                assert intruder.recv(64) == b""
            except ConnectionResetError:
                pass
    wait_until(lambda: station.status()["framing_errors"] == 3, message="three framing errors counted")
    status = station.status()
    assert len(status["connections"]) == 1 and status["connections"][0]["active"] is True, status
    assert master.conn.state == c104.ConnectionState.OPEN
    mark = master.mark()
    station.publish(1000, 3.25)
    master.wait_asdus(lambda a: spontaneous_values(a, 1000) == [3.25], mark)
    assert spontaneous_values(master.asdus(mark), 1000) == [3.25]
