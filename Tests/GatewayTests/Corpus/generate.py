"""Writes the message timelines of CompiledInterpretedTests (legacy16, ac22, dc150, shapes .jsonl).

Run from this folder: python3 generate.py. Each line is one JSON object with `time` (arrival, RFC 3339) and one of:
  {"connect": ID, "version": "1.6" | "2.0.1"}, {"disconnect": ID}, {"tick": true}, or a charger CALL
  {"charger": ID, "action": ACTION, "payload": {...}} with optional "assigned_transaction_id" (1.6 StartTransaction),
  "policy": "strict", and "refused": true when the normalizer must refuse it. Lines starting with # are comments.
"""
import os
os.chdir(os.path.dirname(os.path.abspath(__file__)))
import json, datetime, os
BASE = datetime.datetime(2026, 11, 24, 10, 0, 0, tzinfo=datetime.timezone.utc)
def iso(s):
    d = BASE + datetime.timedelta(seconds=s)
    return d.strftime('%Y-%m-%dT%H:%M:%S.') + '%03dZ' % (d.microsecond // 1000)
class TL:
    def __init__(self): self.lines = []
    def comment(self, text): self.lines.append('# ' + text)
    def add(self, t, **kw):
        obj = {'time': iso(t)}; obj.update(kw); self.lines.append(json.dumps(obj, ensure_ascii=False))
    def connect(self, t, cid, v): self.add(t, connect=cid, version=v)
    def disconnect(self, t, cid): self.add(t, disconnect=cid)
    def tick(self, t): self.add(t, tick=True)
    def call(self, t, cid, action, payload, **kw): self.add(t, charger=cid, action=action, payload=payload, **kw)
    def write(self, path):
        with open(path, 'w') as f: f.write('\n'.join(self.lines) + '\n')

def sv16(value, measurand=None, unit=None, context=None, phase=None, location=None):
    o = {'value': value}
    if measurand: o['measurand'] = measurand
    if unit: o['unit'] = unit
    if context: o['context'] = context
    if phase: o['phase'] = phase
    if location: o['location'] = location
    return o
def mv16(conn, ts, values, txn=None):
    p = {'connectorId': conn, 'meterValue': [{'timestamp': ts, 'sampledValue': values}]}
    if txn is not None: p['transactionId'] = txn
    return p
def sv201(value, measurand=None, unit=None, mult=None, context=None, phase=None):
    o = {'value': value}
    if measurand: o['measurand'] = measurand
    if unit is not None or mult is not None:
        u = {}
        if unit is not None: u['unit'] = unit
        if mult is not None: u['multiplier'] = mult
        o['unitOfMeasure'] = u
    if context: o['context'] = context
    if phase: o['phase'] = phase
    return o
def mv201(evse, ts, values): return {'evseId': evse, 'meterValue': [{'timestamp': ts, 'sampledValue': values}]}
def st16(conn, status, ts=None):
    p = {'connectorId': conn, 'errorCode': 'NoError', 'status': status}
    if ts is not None: p['timestamp'] = ts
    return p
def st201(evse, status, ts, conn=1): return {'timestamp': ts, 'connectorStatus': status, 'evseId': evse, 'connectorId': conn}
def te(kind, txn, seq, ts, evse=None, values=None, sample_ts=None, stopped=None, state=None):
    p = {'eventType': kind, 'timestamp': ts, 'triggerReason': 'MeterValuePeriodic' if kind == 'Updated' else ('CablePluggedIn' if kind == 'Started' else 'EVCommunicationLost'),
         'seqNo': seq, 'transactionInfo': {'transactionId': txn}}
    if state: p['transactionInfo']['chargingState'] = state
    if stopped: p['transactionInfo']['stoppedReason'] = stopped
    if evse is not None: p['evse'] = {'id': evse, 'connectorId': 1}
    if values is not None: p['meterValue'] = [{'timestamp': sample_ts or ts, 'sampledValue': values}]
    return p
def notify(comp, var, cleared, ts, evse=None):
    e = {'eventId': 1, 'timestamp': ts, 'trigger': 'Alerting', 'actualValue': 'false' if cleared else 'true',
         'eventNotificationType': 'HardWiredNotification', 'component': {'name': comp}, 'variable': {'name': var}}
    if evse is not None: e['component']['evse'] = {'id': evse}
    if cleared: e['cleared'] = True
    return {'generatedAt': ts, 'seqNo': 0, 'eventData': [e]}
def dt(vendor, msg, data): return {'vendorId': vendor, 'messageId': msg, 'data': data}

EAIR = 'Energy.Active.Import.Register'; PAI = 'Power.Active.Import'; PO = 'Power.Offered'

# ---------------------------------------------------------------- legacy 1.6 wallboxes (CP001–CP003)
t = TL()
t.comment('Legacy OCPP 1.6 wallboxes of the demo site (template ac22-legacy): energy register every second,')
t.comment('power derived from it. Sanitizer cases: repeated and out-of-order timestamps, "14.4kW", decimal commas,')
t.comment('kWh labelled Wh, empty sampledValue, unusable timestamps, numbers where strings belong, meter resets.')
for c in ('CP001', 'CP002', 'CP003'): t.connect(0, c, '1.6')
reg = 120000.0
for s in range(1, 41):
    ts = iso(s)
    reg += 6.1 + (s % 3) * 0.2
    value = '%.1f' % reg
    ctx = 'Sample.Clock' if s % 15 == 0 else None
    if s == 10: t.comment('repeated timestamp (same as the reading before, other value)'); ts = iso(9)
    if s == 15: t.comment('out-of-order timestamp'); ts = iso(12)
    if s == 22: t.comment('decimal comma'); value = value.replace('.', ',')
    if s == 25: t.comment('energy in kWh labelled Wh: looks like a reset'); value = '%.4f' % (reg / 1000)
    if s == 28: t.comment('empty sampledValue'); t.call(s + 0.2, 'CP001', 'MeterValues', {'connectorId': 1, 'meterValue': [{'timestamp': ts, 'sampledValue': []}]}); continue
    if s == 30: t.comment('unusable timestamp: arrival time instead'); ts = ''
    if s == 31: t.comment('a number where 1.6 wants a string'); t.call(s + 0.2, 'CP001', 'MeterValues', mv16(1, ts, [{'value': round(reg, 1), 'unit': 'Wh'}])); continue
    if s == 32: t.comment('unreadable value'); value = 'abc'
    if s == 33: ctx = 'Transaction.Begin'
    if s == 35: t.comment('meter replaced: the register starts again'); reg = 0.0; value = '0'
    values = [sv16(value, unit='Wh', context=ctx)]
    if s % 5 == 0: values.append(sv16('22000', PO, 'W'))
    if s == 20: t.comment('unit inside the value'); values.append(sv16('14.4kW', PO))
    t.call(s + 0.2, 'CP001', 'MeterValues', mv16(1, ts, values))
t.comment('CP002: statuses (connector 0 too, an unknown 1.6 status), vendor alarms, a transaction with transactionData')
for i, status in enumerate(['Preparing', 'Charging', 'SuspendedEV', 'Charging', 'SuspendedEVSE', 'Finishing', 'Available', 'Occupied', 'Faulted']):
    t.call(50 + i, 'CP002', 'StatusNotification', st16(1, status, iso(50 + i) if i % 2 == 0 else None))
t.call(60, 'CP002', 'StatusNotification', st16(0, 'Available', iso(60)))
t.call(61, 'CP002', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', '{"phase": "L2"}'))
t.call(62, 'CP002', 'DataTransfer', dt('com.example.other', 'OverloadAlarm', '{"cleared": true}'))
t.call(63, 'CP002', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', '{"cleared": true}'))
t.call(64, 'CP002', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', 'cleared'))
t.call(65, 'CP002', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', None) if False else {'vendorId': 'com.example.wallbox', 'messageId': 'OverloadAlarm'})
t.call(70, 'CP002', 'StartTransaction', {'connectorId': 1, 'idTag': 'TAG-1', 'meterStart': 5000, 'timestamp': iso(70)}, assigned_transaction_id='1001')
reg2 = 5000
for s in range(71, 90):
    reg2 += 5 + (s % 4)
    t.call(s + 0.1, 'CP002', 'MeterValues', mv16(1, iso(s), [sv16(str(reg2), EAIR, 'Wh'), sv16('16', 'Current.Import', 'A', phase='L1'), sv16('7400', PO, 'W')], txn=1001))
t.call(90.5, 'CP002', 'StopTransaction', {'transactionId': 1001, 'meterStop': reg2 + 9, 'timestamp': iso(90), 'reason': 'EVDisconnected',
    'transactionData': [{'timestamp': iso(85), 'sampledValue': [{'value': str(reg2 - 20), 'unit': 'Wh'}]},
                        {'timestamp': iso(90), 'sampledValue': [{'value': str(reg2 + 9), 'unit': 'Wh', 'context': 'Transaction.End'}]}]})
t.comment('StopTransaction with transactionId null')
t.call(91, 'CP002', 'StopTransaction', {'transactionId': None, 'meterStop': reg2 + 9, 'timestamp': iso(91)})
t.comment('strict sanitizer refuses what lenient repairs')
t.call(92, 'CP002', 'MeterValues', mv16(1, iso(92), [sv16('7,4', PO, 'kW')]), policy='strict', refused=True)
t.comment('CP003: values, a disconnect, a reconnect, and stale_after (15 min) on tick')
reg3 = 1000
for s in range(1, 12):
    reg3 += 6
    t.call(s + 0.3, 'CP003', 'MeterValues', mv16(1, iso(s), [sv16(str(reg3), unit='Wh')]))
t.disconnect(20, 'CP003')
t.connect(30, 'CP003', '1.6')
for s in range(31, 40, 3):
    reg3 += 20
    t.call(s + 0.3, 'CP003', 'MeterValues', mv16(1, iso(s), [sv16(str(reg3), unit='Wh'), sv16('11000', PO, 'W')]))
t.tick(500); t.tick(1000); t.tick(1001)
t.call(1002, 'CP003', 'MeterValues', mv16(1, iso(1002), [sv16(str(reg3 + 500), unit='Wh')]))
t.write('legacy16.jsonl')

# ---------------------------------------------------------------- AC chargers, both versions (CP004–CP007)
t = TL()
t.comment('AC chargers of the demo site (template ac22): CP004 on OCPP 2.0.1 (multipliers, TransactionEvent with and')
t.comment('without evse), CP005 on 1.6 ("14.4kW", decimal commas), CP007 on 1.6 sending local time without a zone.')
t.connect(0, 'CP004', '2.0.1'); t.connect(0, 'CP005', '1.6'); t.connect(0, 'CP007', '1.6')
power = [('7.4', 'W', 3), ('74', 'kW', -1), ('7450', 'W', None), ('7.52', 'kW', None), ('0.0076', 'MW', None), ('7600', 'W', 0), ('0.75', 'W', 4)]
for i, (v, u, m) in enumerate(power):
    t.call(1 + i, 'CP004', 'MeterValues', mv201(1, iso(1 + i), [sv201(float(v) if '.' in v else int(v), PAI, u, m), sv201(12000 + 10 * i, EAIR, 'Wh'), sv201(22, PO, 'kW')]))
t.comment('register in kWh with a multiplier; repeated timestamp')
t.call(9, 'CP004', 'MeterValues', mv201(1, iso(8), [sv201(1.21, EAIR, 'kWh', 1), sv201(7650, PAI, 'W')]))
t.call(10, 'CP004', 'MeterValues', mv201(1, iso(8), [sv201(7700, PAI, 'W')]))
t.comment('transaction: Started with evse, Updated without (the evse is remembered), Ended without')
t.call(11, 'CP004', 'TransactionEvent', te('Started', 'TX-A', 0, iso(11), evse=1, state='EVConnected', values=[sv201(0, PAI, 'W', context='Transaction.Begin'), sv201(12100, EAIR, 'Wh', context='Transaction.Begin')]))
for k in range(1, 8):
    vals = [sv201(3000 + 900 * k, PAI, 'W'), sv201(12.1 + 0.05 * k, EAIR, 'kWh')]
    if k == 4: vals = []
    t.call(11 + k, 'CP004', 'TransactionEvent', te('Updated', 'TX-A', k, iso(11 + k), evse=1 if k == 2 else None, state='Charging', values=vals))
t.call(20, 'CP004', 'TransactionEvent', te('Ended', 'TX-A', 8, iso(20), stopped='EVDisconnected', values=[sv201(0, PAI, 'W', context='Transaction.End'), sv201(12.5, EAIR, 'kWh', context='Transaction.End')]))
t.comment('an Updated of an unknown transaction without evse, and without meter values')
t.call(21, 'CP004', 'TransactionEvent', te('Updated', 'TX-Z', 1, iso(21), values=[sv201(5000, PAI, 'W')]))
t.call(22, 'CP004', 'TransactionEvent', te('Updated', 'TX-Z', 2, iso(22)))
t.call(23, 'CP004', 'NotifyEvent', notify('ChargingStation', 'Overload', False, iso(23)))
t.call(24, 'CP004', 'NotifyEvent', notify('ChargingStation', 'Overload', True, iso(24)))
t.call(25, 'CP004', 'StatusNotification', st201(1, 'Occupied', iso(25)))
t.call(26, 'CP004', 'StatusNotification', st201(1, 'Available', iso(26)))
t.comment('CP005 on 1.6')
for i, v in enumerate(['7400', '7450', '7,6', '14.4kW', '7600', '', '7610', '8000']):
    unit = None if 'kW' in v else ('kW' if ',' in v else 'W')
    t.call(30 + i, 'CP005', 'MeterValues', mv16(1, iso(30 + i), [sv16(v, PAI, unit), sv16(str(30000 + 7 * i), EAIR, 'Wh')]))
for i, status in enumerate(['Preparing', 'Charging', 'Finishing', 'Available']):
    t.call(40 + i, 'CP005', 'StatusNotification', st16(1, status, iso(40 + i)))
t.call(45, 'CP005', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', '{"level": 2}'))
t.call(46, 'CP005', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', '{"state": "cleared"}'))
t.comment('CP007: local time without a zone, read in Europe/Berlin (UTC+1 in November)')
for i in range(6):
    local = (BASE + datetime.timedelta(hours=1, seconds=50 + i)).strftime('%Y-%m-%dT%H:%M:%S')
    t.call(50 + i + 0.5, 'CP007', 'MeterValues', mv16(1, local, [sv16(str(3000 + 150 * i), PAI, 'W'), sv16(str(8000 + 3 * i), EAIR, 'Wh')]))
t.call(57, 'CP007', 'StatusNotification', st16(1, 'Charging', (BASE + datetime.timedelta(hours=1, seconds=57)).strftime('%Y-%m-%dT%H:%M:%S')))
t.disconnect(60, 'CP004'); t.disconnect(60, 'CP005')
t.connect(61, 'CP004', '1.6')
t.call(62, 'CP004', 'MeterValues', mv16(1, iso(62), [sv16('5000', PAI, 'W')]))
t.call(63, 'CP004', 'DataTransfer', dt('com.example.wallbox', 'OverloadAlarm', '{}'))
t.write('ac22.jsonl')

# ---------------------------------------------------------------- DC chargers (CP008–CP010)
t = TL()
t.comment('DC chargers of the demo site (template dc150, OCPP 2.0.1, EVSE 1 and 2): main meter on EVSE 0 with a 1 % deadband,')
t.comment('EVSE power from MeterValues and TransactionEvent, statuses per EVSE, NotifyEvent alarms, multipliers.')
for c in ('CP008', 'CP009', 'CP010'): t.connect(0, c, '2.0.1')
for s in range(1, 31):
    main = 90000 + ((s * 7919) % 23) * 100
    vals = [sv201(main / 1000, PAI, 'kW'), sv201(500 + s * 0.025, EAIR, 'kWh'), sv201(150, PO, 'kW')]
    if s % 7 == 0: vals[0] = sv201(main / 1000000, PAI, 'W', 6)
    t.call(s + 0.1, 'CP008', 'MeterValues', mv201(0, iso(s), vals))
    t.call(s + 0.2, 'CP008', 'MeterValues', mv201(1 + s % 2, iso(s), [sv201(45000 + (s % 5) * 800, PAI, 'W')]))
t.call(31, 'CP008', 'TransactionEvent', te('Started', 'DC-1', 0, iso(31), evse=2, values=[sv201(0, PAI, 'W')]))
for k in range(1, 6):
    t.call(31 + k, 'CP008', 'TransactionEvent', te('Updated', 'DC-1', k, iso(31 + k), values=[sv201(40 + 2 * k, PAI, 'kW')]))
t.call(37, 'CP008', 'TransactionEvent', te('Ended', 'DC-1', 6, iso(37), stopped='Local', values=[sv201(0, PAI, 'kW')]))
t.call(38, 'CP008', 'TransactionEvent', te('Updated', 'DC-1', 7, iso(38), values=[sv201(10, PAI, 'kW')]))
for i, (evse, status) in enumerate([(1, 'Occupied'), (2, 'Occupied'), (2, 'Available'), (1, 'Faulted'), (1, 'Available')]):
    t.call(40 + i, 'CP009', 'StatusNotification', st201(evse, status, iso(40 + i), conn=1 if evse == 1 else 2))
t.call(46, 'CP009', 'NotifyEvent', notify('ChargingStation', 'Overload', False, iso(46)))
t.call(47, 'CP009', 'NotifyEvent', notify('EVSE', 'Problem', False, iso(47), evse=1))
t.call(48, 'CP009', 'NotifyEvent', notify('ChargingStation', 'Overload', True, iso(48)))
for s in range(50, 60):
    t.call(s, 'CP010', 'MeterValues', mv201(0, iso(s), [sv201(120 + (s % 4), PAI, 'kW', 0), sv201(7.001 + s / 1000, EAIR, 'MWh')]))
t.disconnect(60, 'CP010')
t.connect(70, 'CP010', '2.0.1')
t.call(71, 'CP010', 'MeterValues', mv201(0, iso(71), [sv201(121, PAI, 'kW')]))
t.write('dc150.jsonl')

# ---------------------------------------------------------------- generated chain-shape site
t = TL()
t.comment('The generated chain-shape site of CompiledInterpretedTests: S16 (1.6), S201 (2.0.1), SX (1.6, interpreted shapes).')
for c, v in (('S16', '1.6'), ('S201', '2.0.1'), ('SX', '1.6')): t.connect(0, c, v)
r16 = 50000.0; r201 = 80000.0
for s in range(1, 61):
    # Steps of exactly 0.5 kW, 0.3 kW and 0.2 kW sit on the deadbands' edges; the odd 41 W keeps values off them too.
    pattern = [4000, 4500, 4500, 4000, 4300, 4800, 5000, 5200, 5500, 5000, 4700, 4700, 6000, 6300, 5800, 5841, 6341, 6041]
    w = pattern[s % len(pattern)] + (0 if s < 40 else ((s * 37) % 19) * 350)
    ts = iso(s) if s not in (17, 18) else iso(16)
    if s == 29: ts = iso(20)
    r16 += w / 3600.0
    r201 += w / 3600.0
    if s == 40: r16 = 10.0
    vals16 = [sv16(str(w), PAI, 'W', phase='L1' if s % 3 == 0 else None), sv16('%.2f' % r16, EAIR, 'Wh', context='Sample.Clock' if s % 4 == 0 else None),
              sv16(str(round(w / 690.0, 2)), 'Current.Import', 'A', phase='L2' if s % 2 else None, location='Outlet' if s % 5 else 'Inlet')]
    if s == 23: vals16[0] = sv16('abc', PAI, 'W')
    if s == 24: vals16[0] = sv16('%.1fkW' % (w / 1000.0), PAI)
    if s == 25: vals16[1] = sv16('%.5f' % (r16 / 1000), EAIR, 'kWh')
    if s == 26: vals16 = []
    t.call(s + 0.1, 'S16', 'MeterValues', mv16(1, ts, vals16))
    t.call(s + 0.2, 'SX', 'MeterValues', mv16(1, ts, vals16))
    mult = (s % 5) - 2
    vals201 = [sv201(w / (10 ** mult), PAI, 'W', mult), sv201(round(r201, 3), EAIR, 'Wh'), sv201(round(w / 690.0, 2), 'Current.Import', 'A', phase='L3' if s % 2 else None)]
    if s % 10 == 0:
        t.call(s + 0.3, 'S201', 'TransactionEvent', te('Updated', 'SH-1', s, iso(s), evse=1 if s % 20 == 0 else None, values=vals201))
    else:
        t.call(s + 0.3, 'S201', 'MeterValues', mv201(1, ts, vals201))
    if s == 30:
        t.disconnect(30.5, 'S16'); t.disconnect(30.5, 'SX')
    if s == 33:
        t.connect(33.5, 'S16', '1.6'); t.connect(33.5, 'SX', '1.6')
t.call(61, 'S16', 'StopTransaction', {'transactionId': 7, 'meterStop': int(r16 + 30), 'timestamp': iso(61),
    'transactionData': [{'timestamp': iso(60.5), 'sampledValue': [{'value': '%.1f' % (r16 + 10), 'unit': 'Wh'}, {'value': '5000', 'measurand': PAI, 'unit': 'W'}]}]})
t.tick(1000)
t.write('shapes.jsonl')
