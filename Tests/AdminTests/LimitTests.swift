import Admin
import Testing

@Suite("Admin limits")
struct LimitTests {
    @Test("A declared body over the limit is 413 at once, and the connection closes")
    func declaredTooLarge() async throws {
        try await withServer { port, _ in
            let head = "POST /reload HTTP/1.1\r\nHost: x\r\nContent-Length: 70000\r\n\r\n"
            let result = try await exchange(port: port, [head], count: 1, untilClosed: true)
            let response = try #require(result.responses.first)
            #expect(response.status == 413)
            #expect(response.header("Connection") == "close")
            #expect(response.body == #"{"error":"request body too large"}"#)
            #expect(result.closed)
        }
    }

    @Test("A chunked body that grows over the limit is 413 and closed")
    func streamedTooLarge() async throws {
        try await withServer(limits: .init(maximumBodyBytes: 1024)) { port, _ in
            let chunk = String(repeating: "a", count: 600)
            let body = "258\r\n\(chunk)\r\n258\r\n\(chunk)\r\n0\r\n\r\n"
            let head = "POST /reload HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            let result = try await exchange(port: port, [head + body], count: 1, untilClosed: true)
            #expect(result.responses.first?.status == 413)
            #expect(result.closed)
        }
    }

    @Test("A body within the limit is read and dropped, and the connection stays usable")
    func bodyWithinLimit() async throws {
        try await withServer(limits: .init(maximumBodyBytes: 1024)) { port, _ in
            let body = String(repeating: "b", count: 1024)
            let result = try await exchange(port: port, [request("POST", "/reload", body: body), request("/health")],
                                            count: 2)
            #expect(result.responses.map(\.status) == [202, 200])
            #expect(!result.closed)
        }
    }

    @Test("Garbage is 400 and closed; the server serves the next connection",
          arguments: [
              Array("\u{1}\u{2}\u{3} garbage\r\n\r\n".utf8), [0xFF, 0xFE, 0x00, 0x0D, 0x0A, 0x0D, 0x0A],
              Array("GET /health HTTP/9.9\r\n\r\n".utf8), Array("GET /health HTTP/1.1\r\nBad Header\r\n\r\n".utf8),
          ])
    func garbage(bytes: [UInt8]) async throws {
        try await withServer { port, _ in
            let result = try await exchangeBytes(port: port, [bytes], count: 1, untilClosed: true)
            let response = try #require(result.responses.first)
            #expect(response.status == 400)
            #expect(response.header("Connection") == "close")
            #expect(response.body == #"{"error":"bad request"}"#)
            #expect(result.closed)
            let next = try await exchange(port: port, [request("/health")], count: 1)
            #expect(next.responses.first?.status == 200)
        }
    }

    @Test("Garbage after a pipelined request is answered in order: the answer, then 400")
    func garbageAfterRequest() async throws {
        try await withServer(backend: FakeBackend(readyDelay: .milliseconds(100))) { port, _ in
            let result = try await exchange(port: port, [request("/ready") + "\u{1}junk\r\n\r\n"], count: 2,
                                            untilClosed: true)
            #expect(result.responses.map(\.status) == [200, 400])
            #expect(result.closed)
        }
    }

    @Test("Random bytes after HTTP-looking prefixes never stop the server: each connection ends, answered or timed out")
    func randomInput() async throws {
        try await withServer(limits: .init(requestTimeout: .milliseconds(300))) { port, _ in
            var generator = SplitMix(seed: 0xAD31_0809)
            let prefixes = ["", "GET ", "GET /health HTTP/1.1\r\n",
                            "POST /reload HTTP/1.1\r\nContent-Length: 5\r\n\r\n"]
            let inputs: [[UInt8]] = (0..<48).map { index in
                let noise = (0..<Int(generator.next() % 200)).map { _ in UInt8(truncatingIfNeeded: generator.next()) }
                return Array(prefixes[index % prefixes.count].utf8) + noise + Array("\r\n\r\n".utf8)
            }
            try await withThrowingTaskGroup(of: Exchange.self) { group in
                for input in inputs {
                    group.addTask { try await exchangeBytes(port: port, [input], count: 0, untilClosed: true) }
                }
                for try await result in group {
                    #expect(result.closed)
                    // Whatever was answered is a well-formed response with a status the server sends.
                    #expect(result.responses.allSatisfy { [200, 202, 400, 404, 405].contains($0.status) })
                }
            }
            let next = try await exchange(port: port, [request("/health")], count: 1)
            #expect(next.responses.first?.status == 200)
        }
    }

    @Test("A request head over its limit is 400")
    func headTooLarge() async throws {
        try await withServer(limits: .init(maximumHeadBytes: 1024)) { port, _ in
            let big = "X-Filler: " + String(repeating: "f", count: 4096)
            let result = try await exchange(port: port, [request("/health", headers: [big])], count: 1,
                                            untilClosed: true)
            #expect(result.responses.first?.status == 400)
            #expect(result.closed)
        }
    }

    @Test("A client that sends part of a request line and stops is closed after the request timeout, counted")
    func slowloris() async throws {
        let metrics = PrometheusMetrics.bootstrap()
        try await withServer(limits: .init(requestTimeout: .milliseconds(500))) { port, _ in
            let result = try await exchange(port: port, ["GET /hea"], count: 0, untilClosed: true,
                                            timeout: .seconds(5))
            #expect(result.closed)
            #expect(result.responses.isEmpty)
            #expect(result.elapsed >= .milliseconds(400))
            #expect(result.elapsed < .seconds(3))
        }
        #expect(metrics.render().contains(#"admin_refused_total{reason="request_timeout"}"#))
    }

    @Test("Trickling bytes does not extend the deadline")
    func trickle() async throws {
        try await withServer(limits: .init(requestTimeout: .milliseconds(500))) { port, _ in
            let closedAfter = try await trickleUntilClosed(port: port, request("/health"), every: .milliseconds(100))
            let elapsed = try #require(closedAfter)
            #expect(elapsed >= .milliseconds(400))
            #expect(elapsed < .seconds(2))
        }
    }

    @Test("An idle keep-alive connection is closed after the request timeout")
    func idleKeepAlive() async throws {
        try await withServer(limits: .init(requestTimeout: .milliseconds(500))) { port, _ in
            let result = try await exchange(port: port, [request("/health")], count: 1, untilClosed: true)
            #expect(result.responses.first?.status == 200)
            #expect(result.closed)
            #expect(result.elapsed < .seconds(3))
        }
    }

    @Test("Connections over the limit are closed on accept; a freed place is taken again")
    func connectionLimit() async throws {
        try await withServer(limits: .init(maximumConnections: 2)) { port, _ in
            let first = try await connect(port: port)
            let second = try await connect(port: port)
            try await first.executeThenClose { firstIn, firstOut in
                var firstResponses = firstIn.makeAsyncIterator()
                try await second.executeThenClose { secondIn, secondOut in
                    var secondResponses = secondIn.makeAsyncIterator()
                    // Answers prove that both are accepted and counted before the third arrives.
                    let firstStatus = try await roundTrip(request("/health"), firstOut, &firstResponses)?.status
                    #expect(firstStatus == 200)
                    let secondStatus = try await roundTrip(request("/health"), secondOut, &secondResponses)?.status
                    #expect(secondStatus == 200)
                    let third = try await exchange(port: port, [request("/health")], count: 1, untilClosed: true)
                    #expect(third.responses.isEmpty)
                    #expect(third.closed)
                }
                // The server learns of the second's close asynchronously: retry briefly.
                var status: Int?
                for _ in 0..<50 where status == nil {
                    status = try await exchange(port: port, [request("/health", headers: ["Connection: close"])],
                                                count: 1, untilClosed: true).responses.first?.status
                    if status == nil { try await Task.sleep(for: .milliseconds(20)) }
                }
                #expect(status == 200)
                let firstAgain = try await roundTrip(request("/health"), firstOut, &firstResponses)?.status
                #expect(firstAgain == 200)
            }
        }
    }
}

/// A small deterministic generator (SplitMix64), so the random inputs are the same on every run.
struct SplitMix {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
