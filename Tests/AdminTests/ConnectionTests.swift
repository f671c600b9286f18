import Admin
import Logging
import Testing

@Suite("Admin connections")
struct ConnectionTests {
    @Test("Pipelined requests are answered in order, even when an earlier one takes longer")
    func pipelined() async throws {
        try await withServer(backend: FakeBackend(readyDelay: .milliseconds(150))) { port, _ in
            let burst = request("/ready") + request("/points") + request("/nope") + request("/health")
            let result = try await exchange(port: port, [burst], count: 4)
            #expect(result.responses.map(\.status) == [200, 200, 404, 200])
            #expect(result.responses.map(\.body) == [
                #"{"ready":true}"#, "M_ME_NC_1 1001 7.5\n", #"{"error":"not found"}"#, #"{"status":"live"}"#,
            ])
            #expect(!result.closed)
        }
    }

    @Test("Requests split across writes at odd places are reassembled")
    func splitWrites() async throws {
        try await withServer { port, _ in
            let text = request("/health") + request("/points")
            let bytes = Array(text.utf8)
            let chunks = stride(from: 0, to: bytes.count, by: 7).map { Array(bytes[$0..<min($0 + 7, bytes.count)]) }
            let result = try await exchangeBytes(port: port, chunks, count: 2)
            #expect(result.responses.map(\.status) == [200, 200])
        }
    }

    @Test("Keep-alive serves several requests; Connection: close ends the connection after its answer")
    func connectionClose() async throws {
        try await withServer { port, _ in
            let burst = request("/health") + request("/points", headers: ["Connection: close"]) + request("/ready")
            let result = try await exchange(port: port, [burst], count: 2, untilClosed: true)
            #expect(result.responses.map(\.status) == [200, 200])
            #expect(result.responses.first?.header("Connection") == nil)
            #expect(result.responses.last?.header("Connection") == "close")
            #expect(result.closed)
        }
    }

    @Test("HTTP/1.0 closes unless it asks for keep-alive")
    func http10() async throws {
        try await withServer { port, _ in
            let plain = try await exchange(port: port, ["GET /health HTTP/1.0\r\n\r\n"], count: 1, untilClosed: true)
            #expect(plain.responses.first?.status == 200)
            #expect(plain.closed)
            let kept = try await exchange(
                port: port, ["GET /health HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /points HTTP/1.0\r\n\r\n"],
                count: 2, untilClosed: true)
            #expect(kept.responses.map(\.status) == [200, 200])
            #expect(kept.responses.first?.header("Connection") == "keep-alive")
            #expect(kept.closed)
        }
    }

    @Test("A client that shuts its sending side after the request still gets the answer")
    func halfClose() async throws {
        try await withServer(backend: FakeBackend(readyDelay: .milliseconds(100))) { port, _ in
            let result = try await exchange(port: port, [request("/ready")], count: 1, untilClosed: true,
                                            halfClose: true)
            #expect(result.responses.first?.status == 200)
            #expect(result.closed)
        }
    }

    @Test("start() returns the bound address; a second start() throws")
    func startTwice() async throws {
        try await withServer { port, server in
            #expect(port > 0)
            await #expect(throws: AdminServerError.alreadyStarted) { try await server.start() }
        }
    }

    @Test("Binding an address in use throws, and start() may be tried again once it is free")
    func bindFailure() async throws {
        var blocked: (server: AdminServer, port: Int)?
        try await withServer { port, _ in
            let other = AdminServer(host: "127.0.0.1", port: port, backend: FakeBackend(),
                                    logger: Logger(label: "admin-tests"))
            await #expect(throws: (any Error).self) { try await other.start() }
            blocked = (other, port)
        }
        let (other, port) = try #require(blocked)
        #expect(try await other.start() == "127.0.0.1:\(port)")
        let result = try await exchange(port: port, [request("/health")], count: 1)
        #expect(result.responses.first?.status == 200)
        await other.shutdown()
    }

    @Test("shutdown() closes open connections and stops listening")
    func shutdown() async throws {
        let server = AdminServer(host: "127.0.0.1", port: 0, backend: FakeBackend(),
                                 logger: Logger(label: "admin-tests"))
        let address = try await server.start()
        let port = try #require(address.split(separator: ":").last.flatMap { Int($0) })
        #expect(address == "127.0.0.1:\(port)")
        let connection = try await connect(port: port)
        try await connection.executeThenClose { inbound, outbound in
            var responses = inbound.makeAsyncIterator()
            let healthStatus = try await roundTrip(request("/health"), outbound, &responses)?.status
            #expect(healthStatus == 200)
            await server.shutdown()
            // The open keep-alive connection ends: the iterator finishes (or reports the reset).
            let next = try? await responses.next()
            #expect(next == nil)
        }
        await #expect(throws: (any Error).self) { _ = try await connect(port: port) }
    }
}
