import SeededRandom
import Testing
@testable import IEC104

/// A master link driven by a fake monotonic clock.
private struct Harness {
    var link: MasterLink
    var now: Duration = .seconds(100)

    init(parameters: LinkParameters = .standard, send: UInt16 = 0, receive: UInt16 = 0) {
        link = MasterLink(parameters: parameters, now: .seconds(100),
                          sendSequence: SequenceNumber(masking: send), receiveSequence: SequenceNumber(masking: receive))
    }

    mutating func advance(_ duration: Duration) -> [MasterLinkAction] {
        now += duration
        return link.tick(now: now)
    }

    mutating func receive(_ frame: APDU) -> [MasterLinkAction] { link.receive(frame, now: now) }

    mutating func receiveU(_ function: UFunction) -> [MasterLinkAction] { receive(.unnumbered(function)) }

    /// Runs the STARTDT handshake.
    mutating func start() {
        #expect(link.start(now: now) == [.send(.unnumbered(.startDTActivation))])
        #expect(receiveU(.startDTConfirmation) == [.dataTransferStarted])
    }

    mutating func send(_ asdu: [UInt8]) -> LinkSendResult { link.send(asdu: asdu, now: now) }

    /// Sends and expects the I-frame to go out.
    @discardableResult
    mutating func sendOK(_ asdu: [UInt8]) -> APDU? {
        guard case let .transmit(frame) = send(asdu) else {
            Issue.record("ASDU \(asdu) was refused")
            return nil
        }
        return frame
    }

    /// An I-frame from the station with the expected N(S) and an N(R) acknowledging `ack`.
    mutating func receiveI(_ asdu: [UInt8], ack: SequenceNumber? = nil) -> [MasterLinkAction] {
        receive(.information(send: link.receiveSequence, receive: ack ?? link.oldestUnacknowledged, asdu: asdu))
    }
}

private func seq(_ value: UInt16) -> SequenceNumber { SequenceNumber(masking: value) }

private func closeReason(_ actions: [MasterLinkAction]) -> MasterCloseReason? {
    for case let .close(reason, _) in actions { return reason }
    return nil
}

@Suite("Master link (controlling station)")
struct MasterLinkTests {
    @Test("STARTDT act goes out, STARTDT con starts data transfer; sends wait for it")
    func startHandshake() {
        var h = Harness()
        #expect(h.link.state == .stopped)
        #expect(h.send([1]) == .refused(.notStarted))
        #expect(h.link.start(now: h.now) == [.send(.unnumbered(.startDTActivation))])
        #expect(h.link.state == .startPending)
        #expect(h.link.start(now: h.now) == [], "a second start while pending sends nothing")
        #expect(h.send([1]) == .refused(.notStarted))
        #expect(h.link.nextDeadline == h.now + .seconds(15), "t1 runs for STARTDT con")
        #expect(h.receiveU(.startDTConfirmation) == [.dataTransferStarted])
        #expect(h.link.state == .started)
        #expect(h.link.nextDeadline == h.now + .seconds(20), "only t3 is left")
        #expect(h.sendOK([1, 2]) == .information(send: seq(0), receive: seq(0), asdu: [1, 2]))
        #expect(h.receiveU(.startDTConfirmation) == [], "a stray STARTDT con is ignored")
        #expect(h.link.counters.unexpectedConfirmations == 1)
        #expect(h.link.counters.unnumberedFramesSent == 1 && h.link.counters.unnumberedFramesReceived == 2)
    }

    @Test("t1 on STARTDT con: no confirmation within t1 closes the link")
    func startTimeout() {
        var h = Harness()
        _ = h.link.start(now: h.now)
        #expect(h.advance(.milliseconds(14999)) == [])
        #expect(h.advance(.milliseconds(1)) == [.close(.startTimeout, unacknowledged: [])])
        #expect(h.link.state == .closed(.startTimeout))
        #expect(h.link.counters.t1Timeouts == 1 && h.link.counters.closes.startTimeout == 1)
        #expect(h.receiveU(.startDTConfirmation) == [], "a closed link ignores every event")
        #expect(h.send([1]) == .refused(.closed))
        #expect(h.link.nextDeadline == nil)
    }

    @Test("STOPDT: received frames are acknowledged at once, STOPDT con stops, then I-frames close the link")
    func stopHandshake() {
        var h = Harness()
        h.start()
        #expect(h.receiveI([1]) == [.deliver(asdu: [1])])
        // The pending acknowledgement goes out before STOPDT act, so the station can drain.
        #expect(h.link.stop(now: h.now) == [.send(.supervisory(receive: seq(1))), .send(.unnumbered(.stopDTActivation))])
        #expect(h.link.state == .stopPending)
        #expect(h.send([9]) == .refused(.stopping))
        #expect(h.receiveI([2]) == [.deliver(asdu: [2]), .send(.supervisory(receive: seq(2)))])
        #expect(h.receiveU(.stopDTConfirmation) == [.dataTransferStopped])
        #expect(h.link.state == .stopped)
        #expect(h.link.counters.stopAcknowledgements == 2)
        #expect(h.send([9]) == .refused(.notStarted))
        #expect(closeReason(h.receiveI([3])) == .informationWhileStopped)
        #expect(h.link.counters.closes.informationWhileStopped == 1)
    }

    @Test("t1 on STOPDT con: no confirmation within t1 closes the link")
    func stopTimeout() {
        var h = Harness()
        h.start()
        #expect(h.link.stop(now: h.now) == [.send(.unnumbered(.stopDTActivation))])
        #expect(h.link.stop(now: h.now) == [], "a second stop while pending sends nothing")
        #expect(h.advance(.milliseconds(14999)) == [])
        #expect(h.advance(.milliseconds(1)) == [.close(.stopTimeout, unacknowledged: [])])
        #expect(h.link.counters.closes.stopTimeout == 1)
    }

    @Test("An I-frame before STARTDT con closes the link")
    func informationBeforeStart() {
        var h = Harness()
        _ = h.link.start(now: h.now)
        #expect(h.receive(.information(send: seq(0), receive: seq(0), asdu: [1]))
            == [.close(.informationWhileStopped, unacknowledged: [])])
    }

    @Test("STARTDT act or STOPDT act from the station close the link", arguments: [UFunction.startDTActivation, .stopDTActivation])
    func unexpectedActivation(function: UFunction) {
        var h = Harness()
        h.start()
        #expect(closeReason(h.receiveU(function)) == .unexpectedFrame(function))
        #expect(h.link.counters.closes.unexpectedFrame == 1)
    }

    @Test("w: an S-frame acknowledges after w received I-frames")
    func wAcknowledgement() {
        var h = Harness()
        h.start()
        for i in 0..<7 { #expect(h.receiveI([UInt8(i)]) == [.deliver(asdu: [UInt8(i)])]) }
        #expect(h.link.unacknowledgedReceivedCount == 7)
        #expect(h.receiveI([7]) == [.deliver(asdu: [7]), .send(.supervisory(receive: seq(8)))])
        #expect(h.link.unacknowledgedReceivedCount == 0)
        #expect(h.link.counters.windowAcknowledgements == 1 && h.link.counters.supervisoryFramesSent == 1)
        #expect(h.link.counters.informationFramesReceived == 8)
    }

    @Test("t2: an S-frame acknowledges t2 after the first unacknowledged I-frame")
    func t2Acknowledgement() {
        var h = Harness()
        h.start()
        _ = h.receiveI([1])
        #expect(h.link.nextDeadline == h.now + .seconds(10))
        #expect(h.advance(.seconds(4)) == [])
        _ = h.receiveI([2]) // does not restart t2
        #expect(h.advance(.milliseconds(5999)) == [])
        #expect(h.advance(.milliseconds(1)) == [.send(.supervisory(receive: seq(2)))])
        #expect(h.advance(.seconds(5)) == [], "nothing left to acknowledge")
        #expect(h.link.counters.t2Acknowledgements == 1)
    }

    @Test("Our I-frame's N(R) acknowledges received frames, and the station's N(R) ours")
    func piggybackedAcknowledgements() {
        var h = Harness()
        h.start()
        _ = h.receiveI([1])
        _ = h.receiveI([2])
        #expect(h.sendOK([5]) == .information(send: seq(0), receive: seq(2), asdu: [5]))
        #expect(h.link.unacknowledgedReceivedCount == 0)
        #expect(h.link.unacknowledgedCount == 1)
        #expect(h.receiveI([3], ack: seq(1)) == [.deliver(asdu: [3])])
        #expect(h.link.unacknowledgedCount == 0 && h.link.counters.framesAcknowledged == 1)
    }

    @Test("TESTFR act from the station is answered with TESTFR con in any state")
    func testFrameAnswered() {
        var h = Harness()
        #expect(h.receiveU(.testFRActivation) == [.send(.unnumbered(.testFRConfirmation))])
        h.start()
        #expect(h.receiveU(.testFRActivation) == [.send(.unnumbered(.testFRConfirmation))])
        #expect(h.link.counters.unnumberedFramesSent == 3)
    }

    @Test("t3: TESTFR act after t3 without a received frame; TESTFR con clears it")
    func t3TestFrame() {
        var h = Harness()
        h.start()
        #expect(h.advance(.seconds(19)) == [])
        _ = h.receive(.supervisory(receive: seq(0))) // any received frame restarts t3
        #expect(h.advance(.seconds(19)) == [])
        #expect(h.advance(.seconds(1)) == [.send(.unnumbered(.testFRActivation))])
        #expect(h.advance(.seconds(1)) == [], "only one outstanding test frame")
        #expect(h.receiveU(.testFRConfirmation) == [])
        #expect(h.link.counters.testFramesConfirmed == 1 && h.link.counters.t3TestFrames == 1)
        #expect(h.receiveU(.testFRConfirmation) == [])
        #expect(h.link.counters.unexpectedConfirmations == 1)
    }

    @Test("t1 on TESTFR con: no confirmation within t1 closes the link")
    func t1TestFrame() {
        var h = Harness()
        h.start()
        #expect(h.advance(.seconds(20)) == [.send(.unnumbered(.testFRActivation))])
        #expect(h.link.nextDeadline == h.now + .seconds(15))
        #expect(h.advance(.milliseconds(14999)) == [])
        #expect(h.advance(.milliseconds(1)) == [.close(.testFrameTimeout, unacknowledged: [])])
        #expect(h.link.counters.t1Timeouts == 1 && h.link.counters.closes.testFrameTimeout == 1)
    }

    @Test("t1 on I-frames: the oldest unacknowledged frame times out; unacknowledged ASDUs are returned")
    func t1Acknowledgement() {
        var h = Harness()
        h.start()
        _ = h.sendOK([1])
        #expect(h.advance(.seconds(5)) == [])
        _ = h.sendOK([2])
        #expect(h.receive(.supervisory(receive: seq(1))) == [])
        // The oldest is now frame 1, sent at +5 s: its t1 ends at +20 s.
        #expect(h.advance(.milliseconds(14999)) == [])
        #expect(h.advance(.milliseconds(1)) == [.close(.acknowledgementTimeout, unacknowledged: [[2]])])
        #expect(h.link.counters.closes.acknowledgementTimeout == 1)
    }

    @Test("A wrong N(S) closes the link with a sequence error")
    func wrongSendSequence() {
        var h = Harness()
        h.start()
        _ = h.receiveI([1])
        let actions = h.receive(.information(send: seq(5), receive: seq(0), asdu: [2]))
        #expect(actions == [.close(.sequenceError(expected: seq(1), received: seq(5)), unacknowledged: [])])
        #expect(h.link.counters.closes.sequenceError == 1)
    }

    @Test("An N(R) acknowledging unsent frames closes the link (S- and I-frames)")
    func invalidReceiveSequence() {
        var h = Harness()
        h.start()
        _ = h.sendOK([1])
        _ = h.sendOK([2])
        // V(S) = 2, oldest unacknowledged 0: N(R) 3 acknowledges a frame never sent.
        #expect(h.receive(.supervisory(receive: seq(3))) == [.close(
            .invalidAcknowledgement(received: seq(3), oldestUnacknowledged: seq(0), next: seq(2)),
            unacknowledged: [[1], [2]])])

        var g = Harness()
        g.start()
        _ = g.sendOK([1])
        _ = g.sendOK([2])
        #expect(g.receive(.supervisory(receive: seq(1))) == [])
        // N(R) 0 goes back behind a frame already acknowledged.
        #expect(closeReason(g.receiveI([7], ack: seq(0)))
            == .invalidAcknowledgement(received: seq(0), oldestUnacknowledged: seq(1), next: seq(2)))
        #expect(g.link.counters.closes.invalidAcknowledgement == 1 && g.link.counters.framesAcknowledged == 1)
    }

    @Test("Window k: the (k+1)th ASDU is refused until an acknowledgement, then readyToSend")
    func kWindow() throws {
        var h = Harness(parameters: try LinkParameters(k: 3, w: 2))
        h.start()
        for i in 0..<3 { _ = h.sendOK([UInt8(i)]) }
        #expect(!h.link.canSend)
        #expect(h.send([3]) == .refused(.windowFull))
        #expect(h.link.counters.windowFullRefusals == 1)
        #expect(h.receive(.supervisory(receive: seq(1))) == [.readyToSend])
        #expect(h.sendOK([3]) == .information(send: seq(3), receive: seq(0), asdu: [3]))
        // No refusal since, so the next acknowledgement does not announce readiness again.
        #expect(h.receive(.supervisory(receive: seq(4))) == [])
        #expect(h.link.unacknowledgedCount == 0 && h.link.counters.framesAcknowledged == 4)
        #expect(h.send([]) == .refused(.invalidLength(0)))
        #expect(h.send(Array(repeating: 0, count: 250)) == .refused(.invalidLength(250)))
    }

    @Test("Sequence numbers wrap from 32767 to 0 in both directions")
    func wrapAround() {
        var h = Harness(send: 32766, receive: 32767)
        h.start()
        #expect(h.sendOK([1]) == .information(send: seq(32766), receive: seq(32767), asdu: [1]))
        #expect(h.sendOK([2]) == .information(send: seq(32767), receive: seq(32767), asdu: [2]))
        #expect(h.link.sendSequence == seq(0))
        #expect(h.receive(.information(send: seq(32767), receive: seq(32767), asdu: [7])) == [.deliver(asdu: [7])])
        #expect(h.link.receiveSequence == seq(0))
        // N(R) = 0 acknowledges 32766 and 32767 across the wrap.
        #expect(h.receive(.information(send: seq(0), receive: seq(0), asdu: [8])) == [.deliver(asdu: [8])])
        #expect(h.link.unacknowledgedCount == 0 && h.link.receiveSequence == seq(1))
        #expect(h.link.stop(now: h.now) == [.send(.supervisory(receive: seq(1))), .send(.unnumbered(.stopDTActivation))])
        // N(R) 1 is beyond V(S) = 0 after the wrap.
        #expect(closeReason(h.receive(.supervisory(receive: seq(1))))
            == .invalidAcknowledgement(received: seq(1), oldestUnacknowledged: seq(0), next: seq(0)))
    }

    @Test("Local close, lost connection and framing errors return the unacknowledged ASDUs once")
    func closes() {
        var h = Harness()
        h.start()
        _ = h.sendOK([1])
        _ = h.sendOK([2])
        _ = h.receive(.supervisory(receive: seq(1)))
        #expect(h.link.connectionLost(now: h.now) == [.close(.connectionLost, unacknowledged: [[2]])])
        #expect(h.link.close(now: h.now) == [], "closing twice reports once")

        var g = Harness()
        g.start()
        _ = g.sendOK([5])
        #expect(g.link.close(now: g.now) == [.close(.local, unacknowledged: [[5]])])

        var f = Harness()
        #expect(f.link.framingError(.badStartByte(0), now: f.now)
            == [.close(.framingError(.badStartByte(0)), unacknowledged: [])])
        #expect(f.link.counters.closes.framingError == 1)
    }

    @Test("Against the controlled-station link, random traffic never closes and delivers everything in order (seeds 1...50)")
    func againstServerLink() throws {
        for seed in UInt64(1)...50 {
            var rng = SplitMix64(seed: seed)
            let k = Int.random(in: 1...12, using: &rng)
            let p = try LinkParameters(k: k, w: Int.random(in: 1...k, using: &rng))
            var now = Duration.seconds(1)
            var master = MasterLink(parameters: p, now: now)
            var station = ServerLink(parameters: p, now: now)
            // TCP keeps each direction in order, so each is a FIFO of frames in flight.
            var toStation: [APDU] = []
            var toMaster: [APDU] = []
            var masterSent = 0, stationSent = 0
            var masterGot: [UInt8] = [], stationGot: [UInt8] = []
            var closes: [String] = []

            func runMaster(_ actions: [MasterLinkAction]) {
                for action in actions {
                    switch action {
                    case let .send(frame): toStation.append(frame)
                    case let .deliver(asdu): masterGot += asdu
                    case let .close(reason, _): closes.append("master \(reason)")
                    case .dataTransferStarted, .dataTransferStopped, .readyToSend: break
                    }
                }
            }
            func runStation(_ actions: [LinkAction]) {
                for action in actions {
                    switch action {
                    case let .send(frame): toMaster.append(frame)
                    case let .deliver(asdu): stationGot += asdu
                    case let .close(reason, _): closes.append("station \(reason)")
                    case .dataTransferStarted, .dataTransferStopped, .readyToSend: break
                    }
                }
            }

            runMaster(master.start(now: now))
            for _ in 0..<600 {
                switch Int.random(in: 0..<6, using: &rng) {
                case 0:
                    if case let .transmit(frame) = master.send(asdu: [UInt8(truncatingIfNeeded: masterSent)], now: now) {
                        toStation.append(frame)
                        masterSent += 1
                    }
                case 1:
                    if case let .transmit(frame) = station.send(asdu: [UInt8(truncatingIfNeeded: stationSent)], now: now) {
                        toMaster.append(frame)
                        stationSent += 1
                    }
                case 2 where !toStation.isEmpty:
                    runStation(station.receive(toStation.removeFirst(), now: now))
                case 3 where !toMaster.isEmpty:
                    runMaster(master.receive(toMaster.removeFirst(), now: now))
                default:
                    // Time passes only with nothing in flight, so every timeout would be a real protocol fault.
                    guard toStation.isEmpty, toMaster.isEmpty else { continue }
                    now += .milliseconds(Int64.random(in: 0...4000, using: &rng))
                    runMaster(master.tick(now: now))
                    runStation(station.tick(now: now))
                }
            }
            // Drain, then let t2 acknowledge whatever is left.
            for _ in 0..<3 {
                while !toStation.isEmpty || !toMaster.isEmpty {
                    if !toStation.isEmpty { runStation(station.receive(toStation.removeFirst(), now: now)) }
                    if !toMaster.isEmpty { runMaster(master.receive(toMaster.removeFirst(), now: now)) }
                }
                now += p.t2
                runMaster(master.tick(now: now))
                runStation(station.tick(now: now))
            }
            #expect(closes.isEmpty, "seed \(seed): \(closes)")
            #expect(master.state == .started && station.state == .started, "seed \(seed)")
            #expect(stationGot == (0..<masterSent).map { UInt8(truncatingIfNeeded: $0) }, "seed \(seed)")
            #expect(masterGot == (0..<stationSent).map { UInt8(truncatingIfNeeded: $0) }, "seed \(seed)")
            #expect(master.unacknowledgedCount == 0 && station.unacknowledgedCount == 0, "seed \(seed)")
            #expect(master.counters.informationFramesReceived == stationSent && stationSent > 0, "seed \(seed)")
        }
    }
}
