import SeededRandom
import Testing
@testable import IEC104

/// A link driven by a fake monotonic clock.
private struct Harness {
    var link: ServerLink
    var now: Duration = .seconds(100)

    init(parameters: LinkParameters = .standard, send: UInt16 = 0, receive: UInt16 = 0) {
        link = ServerLink(parameters: parameters, now: .seconds(100),
                          sendSequence: SequenceNumber(masking: send), receiveSequence: SequenceNumber(masking: receive))
    }

    mutating func advance(_ duration: Duration) -> [LinkAction] {
        now += duration
        return link.tick(now: now)
    }

    mutating func receive(_ frame: APDU) -> [LinkAction] { link.receive(frame, now: now) }

    mutating func receiveU(_ function: UFunction) -> [LinkAction] { receive(.unnumbered(function)) }

    mutating func start() {
        #expect(receiveU(.startDTActivation) == [.send(.unnumbered(.startDTConfirmation)), .dataTransferStarted])
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

    /// An I-frame from the master with the expected N(S) and an N(R) acknowledging `ack`.
    mutating func receiveI(_ asdu: [UInt8], ack: SequenceNumber? = nil) -> [LinkAction] {
        receive(.information(send: link.receiveSequence, receive: ack ?? link.oldestUnacknowledged, asdu: asdu))
    }
}

private extension LinkCounters {
    mutating func add(_ other: LinkCounters) {
        framesAcknowledged += other.framesAcknowledged
        supervisoryFramesSent += other.supervisoryFramesSent
        unnumberedFramesSent += other.unnumberedFramesSent
        t3TestFrames += other.t3TestFrames
        windowFullRefusals += other.windowFullRefusals
        informationFramesSent += other.informationFramesSent
        t1Timeouts += other.t1Timeouts
        windowAcknowledgements += other.windowAcknowledgements
        t2Acknowledgements += other.t2Acknowledgements
        testFramesConfirmed += other.testFramesConfirmed
        closes.local += other.closes.local
        closes.connectionLost += other.closes.connectionLost
        closes.unexpectedFrame += other.closes.unexpectedFrame
        closes.sequenceError += other.closes.sequenceError
        closes.invalidAcknowledgement += other.closes.invalidAcknowledgement
        closes.informationWhileStopped += other.closes.informationWhileStopped
        closes.acknowledgementTimeout += other.closes.acknowledgementTimeout
        closes.testFrameTimeout += other.closes.testFrameTimeout
    }
}

private func seq(_ value: UInt16) -> SequenceNumber { SequenceNumber(masking: value) }

private func closeReason(_ actions: [LinkAction]) -> LinkCloseReason? {
    for case let .close(reason, _) in actions { return reason }
    return nil
}

@Suite("Link layer (controlled station)")
struct LinkLayerTests {
    @Test("Parameters: defaults and validation")
    func parameters() throws {
        let p = LinkParameters.standard
        #expect(p.k == 12 && p.w == 8 && p.t1 == .seconds(15) && p.t2 == .seconds(10) && p.t3 == .seconds(20))
        #expect(try LinkParameters() == p)
        #expect(throws: LinkParametersError.kOutOfRange(0)) { try LinkParameters(k: 0) }
        #expect(throws: LinkParametersError.kOutOfRange(32768)) { try LinkParameters(k: 32768, w: 8) }
        #expect(throws: LinkParametersError.wOutOfRange(w: 13, k: 12)) { try LinkParameters(w: 13) }
        #expect(throws: LinkParametersError.t2NotBelowT1) { try LinkParameters(t1: .seconds(5), t2: .seconds(5)) }
        #expect(throws: LinkParametersError.nonPositiveTimeout) { try LinkParameters(t3: .zero) }
    }

    @Test("STARTDT act is confirmed and starts data transfer; I-frames then flow both ways")
    func startAndExchange() {
        var h = Harness()
        #expect(h.link.state == .stopped)
        #expect(h.send([1]) == .refused(.notStarted))
        h.start()
        #expect(h.link.state == .started)
        #expect(h.sendOK([1, 2]) == .information(send: seq(0), receive: seq(0), asdu: [1, 2]))
        #expect(h.receiveI([9], ack: seq(1)) == [.deliver(asdu: [9])])
        #expect(h.link.unacknowledgedCount == 0)
        #expect(h.sendOK([3]) == .information(send: seq(1), receive: seq(1), asdu: [3]))
        #expect(h.link.unacknowledgedReceivedCount == 0, "the I-frame's N(R) acknowledged the received frame")
        #expect(h.send([]) == .refused(.invalidLength(0)))
        #expect(h.send(Array(repeating: 0, count: 250)) == .refused(.invalidLength(250)))
        #expect(h.link.counters.informationFramesSent == 2 && h.link.counters.framesAcknowledged == 1)
    }

    @Test("An I-frame before STARTDT closes the link")
    func informationBeforeStart() {
        var h = Harness()
        let actions = h.receive(.information(send: seq(0), receive: seq(0), asdu: [1]))
        #expect(actions == [.close(.informationWhileStopped, unacknowledged: [])])
        #expect(h.link.isClosed && h.link.counters.closes.informationWhileStopped == 1)
        #expect(h.receiveU(.testFRActivation) == [], "a closed link ignores every event")
        #expect(h.send([1]) == .refused(.closed))
        #expect(h.link.nextDeadline == nil)
    }

    @Test("TESTFR act is answered with TESTFR con in any state")
    func testFrameAnswered() {
        var h = Harness()
        #expect(h.receiveU(.testFRActivation) == [.send(.unnumbered(.testFRConfirmation))])
        h.start()
        _ = h.sendOK([1])
        #expect(h.receiveU(.testFRActivation) == [.send(.unnumbered(.testFRConfirmation))])
        #expect(h.link.counters.unnumberedFramesReceived == 3 && h.link.counters.unnumberedFramesSent == 3)
    }

    @Test("STARTDT con or STOPDT con from the master close the link", arguments: [UFunction.startDTConfirmation, .stopDTConfirmation])
    func unexpectedConfirmation(function: UFunction) {
        var h = Harness()
        #expect(closeReason(h.receiveU(function)) == .unexpectedFrame(function))
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
        // N(R) 0 goes back behind frames already acknowledged.
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
        #expect(h.link.unacknowledgedCount == 3)
        // No refusal since, so the next acknowledgement does not announce readiness again.
        #expect(h.receive(.supervisory(receive: seq(4))) == [])
        #expect(h.link.unacknowledgedCount == 0)
    }

    @Test("w: an S-frame acknowledges after w received I-frames")
    func wAcknowledgement() {
        var h = Harness()
        h.start()
        for i in 0..<7 { #expect(h.receiveI([UInt8(i)]) == [.deliver(asdu: [UInt8(i)])]) }
        #expect(h.receiveI([7]) == [.deliver(asdu: [7]), .send(.supervisory(receive: seq(8)))])
        #expect(h.link.unacknowledgedReceivedCount == 0)
        #expect(h.link.counters.windowAcknowledgements == 1 && h.link.counters.supervisoryFramesSent == 1)
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

    @Test("t3: TESTFR act after t3 without a received frame; TESTFR con clears it")
    func t3TestFrame() {
        var h = Harness()
        #expect(h.advance(.seconds(19)) == [])
        _ = h.receiveU(.testFRActivation) // any received frame restarts t3
        #expect(h.advance(.seconds(19)) == [])
        #expect(h.advance(.seconds(1)) == [.send(.unnumbered(.testFRActivation))])
        #expect(h.advance(.seconds(1)) == [], "only one outstanding test frame")
        #expect(h.receiveU(.testFRConfirmation) == [])
        #expect(h.link.counters.testFramesConfirmed == 1 && h.link.counters.t3TestFrames == 1)
        #expect(h.advance(.seconds(20)) == [.send(.unnumbered(.testFRActivation))])
        #expect(h.receiveU(.testFRConfirmation) == [])
        #expect(h.receiveU(.testFRConfirmation) == [])
        #expect(h.link.counters.unexpectedTestConfirmations == 1)
    }

    @Test("t1 on TESTFR con: no confirmation within t1 closes the link")
    func t1TestFrame() {
        var h = Harness()
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
        _ = h.sendOK([3])
        #expect(h.link.nextDeadline == h.now + .seconds(10))
        #expect(h.receive(.supervisory(receive: seq(1))) == [])
        // The oldest is now frame 1, sent at +5 s: its t1 ends at +20 s, not +15 s.
        #expect(h.advance(.seconds(10)) == [])
        #expect(h.advance(.milliseconds(4999)) == [])
        #expect(h.advance(.milliseconds(1)) == [.close(.acknowledgementTimeout, unacknowledged: [[2], [3]])])
        #expect(h.link.counters.closes.acknowledgementTimeout == 1)
    }

    @Test("Unacknowledged ASDUs are reported when the connection is lost or closed locally")
    func unacknowledgedOnClose() {
        var h = Harness()
        h.start()
        _ = h.sendOK([1])
        _ = h.sendOK([2])
        _ = h.receive(.supervisory(receive: seq(1)))
        #expect(h.link.connectionLost(now: h.now) == [.close(.connectionLost, unacknowledged: [[2]])])
        #expect(h.link.connectionLost(now: h.now) == [], "closing twice reports once")

        var g = Harness()
        g.start()
        _ = g.sendOK([5])
        #expect(g.link.close(now: g.now) == [.close(.local, unacknowledged: [[5]])])
        #expect(g.link.counters.closes.local == 1)
    }

    @Test("STOPDT with unacknowledged frames waits for the acknowledgements, then confirms")
    func stopWithPendingAcknowledgements() {
        var h = Harness()
        h.start()
        _ = h.sendOK([1])
        _ = h.sendOK([2])
        _ = h.receiveI([9], ack: seq(0))
        // The received frame is acknowledged right away; STOPDT con waits for our two frames.
        #expect(h.receiveU(.stopDTActivation) == [.send(.supervisory(receive: seq(1)))])
        #expect(h.link.state == .stopPending)
        #expect(h.send([3]) == .refused(.stopping))
        #expect(h.receive(.supervisory(receive: seq(1))) == [])
        #expect(h.receive(.supervisory(receive: seq(2)))
            == [.send(.unnumbered(.stopDTConfirmation)), .dataTransferStopped])
        #expect(h.link.state == .stopped)
        #expect(h.send([3]) == .refused(.notStarted))
        #expect(closeReason(h.receiveI([1])) == .informationWhileStopped)
    }

    @Test("STOPDT without pending frames confirms at once; STARTDT during a pending stop resumes")
    func stopImmediateAndResume() {
        var h = Harness()
        h.start()
        #expect(h.receiveU(.stopDTActivation) == [.send(.unnumbered(.stopDTConfirmation)), .dataTransferStopped])
        #expect(h.receiveU(.stopDTActivation) == [.send(.unnumbered(.stopDTConfirmation))])
        h.start()
        _ = h.sendOK([1])
        #expect(h.receiveU(.stopDTActivation) == [])
        #expect(h.send([2]) == .refused(.stopping))
        #expect(h.receiveU(.startDTActivation) == [.send(.unnumbered(.startDTConfirmation)), .readyToSend])
        #expect(h.link.state == .started)
        #expect(h.sendOK([2]) == .information(send: seq(1), receive: seq(0), asdu: [2]))
    }

    @Test("A pending stop still closes on t1 when the master never acknowledges")
    func stopPendingTimesOut() {
        var h = Harness()
        h.start()
        _ = h.sendOK([1])
        _ = h.receiveU(.stopDTActivation)
        #expect(h.advance(.seconds(15)) == [.close(.acknowledgementTimeout, unacknowledged: [[1]])])
    }

    @Test("Sequence numbers wrap from 32767 to 0 in both directions")
    func wrapAround() {
        var h = Harness(send: 32766, receive: 32766)
        h.start()
        #expect(h.sendOK([1]) == .information(send: seq(32766), receive: seq(32766), asdu: [1]))
        #expect(h.sendOK([2]) == .information(send: seq(32767), receive: seq(32766), asdu: [2]))
        #expect(h.sendOK([3]) == .information(send: seq(0), receive: seq(32766), asdu: [3]))
        #expect(h.link.oldestUnacknowledged == seq(32766))
        // N(R) = 0 acknowledges 32766 and 32767 across the wrap.
        #expect(h.receive(.information(send: seq(32766), receive: seq(0), asdu: [7])) == [.deliver(asdu: [7])])
        #expect(h.link.unacknowledgedCount == 1)
        #expect(h.receive(.information(send: seq(32767), receive: seq(1), asdu: [8])) == [.deliver(asdu: [8])])
        #expect(h.receive(.information(send: seq(0), receive: seq(1), asdu: [9])) == [.deliver(asdu: [9])])
        #expect(h.link.receiveSequence == seq(1) && h.link.unacknowledgedCount == 0)
        // N(R) 2 is beyond V(S) = 1 after the wrap.
        #expect(closeReason(h.receive(.supervisory(receive: seq(2))))
            == .invalidAcknowledgement(received: seq(2), oldestUnacknowledged: seq(1), next: seq(1)))
    }

    @Test("Random events never trap and keep the invariants (seeds 1...200, 1 link each)")
    func randomEvents() throws {
        var totals = LinkCounters()
        var delivered = 0
        var closesSeen = 0
        var drainedStops = 0
        for seed in UInt64(1)...200 {
            var rng = SeededGenerator(seed: seed)
            let k = Int.random(in: 1...12, using: &rng)
            let p = try LinkParameters(k: k, w: Int.random(in: 1...k, using: &rng))
            let start = UInt16.random(in: 32700...32767, using: &rng)
            var h = Harness(parameters: p, send: start, receive: UInt16.random(in: 0...32767, using: &rng))
            var sentSinceCreation = 0
            var acknowledged = 0
            // Each link gets its own mix of events (a chatty or silent master, a busy or idle server).
            let weights = [Int.random(in: 1...10, using: &rng), Int.random(in: 0...10, using: &rng),
                           Int.random(in: 0...10, using: &rng), Int.random(in: 1...4, using: &rng),
                           Int.random(in: 1...10, using: &rng)]
            let total = weights.reduce(0, +)
            let maximumStep = Int64.random(in: 100...8000, using: &rng)
            func category(_ roll: Int) -> Int {
                var rest = roll
                for (index, weight) in weights.enumerated() {
                    if rest < weight { return index }
                    rest -= weight
                }
                return weights.count
            }
            for _ in 0..<400 {
                let before = h.link
                var actions: [LinkAction] = []
                // One event in 300 ends the link from outside.
                let outside = Int.random(in: 0..<300, using: &rng)
                switch outside < 2 ? 5 + outside : category(Int.random(in: 0..<total, using: &rng)) {
                case 0:
                    if case let .transmit(frame) = h.send(rng.bytes(Int.random(in: 0...3, using: &rng))) {
                        guard case let .information(ns, nr, _) = frame else { Issue.record("not an I-frame"); return }
                        #expect(ns == before.sendSequence && nr == before.receiveSequence)
                        #expect(before.canSend)
                        sentSinceCreation += 1
                    }
                case 1:
                    // An I-frame while stopped closes the link, so the master rarely sends one then.
                    guard h.link.state == .started || Int.random(in: 0..<100, using: &rng) == 0 else { continue }
                    // Mostly a correct master: expected N(S), an N(R) within the window.
                    let valid = Int.random(in: 0..<400, using: &rng) != 0
                    let ns = valid ? h.link.receiveSequence : SequenceNumber(masking: UInt16.random(in: 0...32767, using: &rng))
                    let nr = h.link.oldestUnacknowledged.advanced(by: Int.random(in: 0...h.link.unacknowledgedCount, using: &rng))
                    actions = h.receive(.information(send: ns, receive: valid ? nr : nr.advanced(by: rng.bool() ? 0 : 40), asdu: [1]))
                case 2:
                    let extra = Int.random(in: 0..<400, using: &rng) == 0 ? Int.random(in: 1...100, using: &rng) : 0
                    let nr = h.link.oldestUnacknowledged.advanced(by: Int.random(in: 0...h.link.unacknowledgedCount, using: &rng) + extra)
                    actions = h.receive(.supervisory(receive: nr))
                case 3:
                    // Rarely a confirmation the master must never send (STARTDT/STOPDT con), which closes the link.
                    let likely: [UFunction] = [.startDTActivation, .startDTActivation, .stopDTActivation, .testFRActivation,
                                               .testFRConfirmation, .testFRConfirmation]
                    let pool = Int.random(in: 0..<200, using: &rng) == 0 ? UFunction.allCases : likely
                    let function = pool.randomElement(using: &rng) ?? .testFRActivation
                    actions = h.receiveU(function)
                case 4:
                    actions = h.advance(.milliseconds(Int64.random(in: 0...maximumStep, using: &rng)))
                case 5:
                    actions = h.link.connectionLost(now: h.now)
                default:
                    actions = h.link.close(now: h.now)
                }
                // Invariants after every event.
                let link = h.link
                #expect(link.unacknowledgedCount <= p.k)
                #expect(link.unacknowledgedReceivedCount < p.w)
                #expect(link.oldestUnacknowledged.advanced(by: link.unacknowledgedCount) == link.sendSequence)
                let sequences = link.unacknowledged.map(\.sequence)
                for (offset, sequence) in sequences.enumerated() { #expect(sequence == link.oldestUnacknowledged.advanced(by: offset)) }
                if link.state == .stopped { #expect(link.unacknowledgedCount == 0) }
                if before.state == .stopPending, link.state == .stopped { drainedStops += 1 }
                if before.isClosed { #expect(actions.isEmpty) }
                let closes = actions.filter { if case .close = $0 { true } else { false } }
                #expect(closes.count <= 1)
                for case let .close(_, pending) in actions {
                    #expect(pending == before.unacknowledgedASDUs)
                    closesSeen += 1
                }
                if !closes.isEmpty { #expect(link.isClosed && actions.count == 1) }
                for action in actions {
                    if case .deliver = action { delivered += 1 }
                    if case let .send(frame) = action, case .information = frame { Issue.record("I-frames only come from send") }
                }
                if let deadline = link.nextDeadline, link.unacknowledgedCount > 0 {
                    #expect(deadline <= h.now + p.t1)
                }
                acknowledged = link.counters.framesAcknowledged
                if link.isClosed { break }
            }
            #expect(acknowledged <= sentSinceCreation)
            #expect(h.link.counters.informationFramesSent == sentSinceCreation)
            totals.add(h.link.counters)
        }
        // The walk must reach the interesting paths, not just close early.
        #expect(delivered > 1000 && closesSeen > 50)
        #expect(totals.framesAcknowledged > 1000 && totals.windowAcknowledgements > 0 && totals.t2Acknowledgements > 0)
        #expect(totals.t3TestFrames > 0 && totals.testFramesConfirmed > 0 && totals.windowFullRefusals > 0)
        let c = totals.closes
        for count in [c.sequenceError, c.invalidAcknowledgement, c.informationWhileStopped, c.acknowledgementTimeout,
                      c.testFrameTimeout, c.local, c.connectionLost] { #expect(count > 0) }
        #expect(drainedStops > 0)
    }
}
