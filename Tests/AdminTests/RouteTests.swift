@testable import Admin
import NIOHTTP1
import Testing

@Suite("Admin routes")
struct RouteTests {
    @Test("/health is answered by the server itself")
    func health() async throws {
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request("/health")], count: 1)
            let response = try #require(result.responses.first)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.body == #"{"status":"live"}"#)
            #expect(response.header("Content-Length") == "17")
        }
    }

    @Test("Backend routes answer with the backend's status, body and content type",
          arguments: [
              ("GET", "/ready", 200, "application/json", #"{"ready":true}"#),
              ("GET", "/points", 200, "text/plain; charset=utf-8", "M_ME_NC_1 1001 7.5\n"),
              ("POST", "/reload", 202, "application/json", #"{"reloaded":true}"#),
          ])
    func backendRoutes(method: String, path: String, status: Int, contentType: String, body: String) async throws {
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request(method, path)], count: 1)
            let response = try #require(result.responses.first)
            #expect(response.status == status)
            #expect(response.header("Content-Type") == contentType)
            #expect(response.body == body)
            #expect(response.header("Content-Length") == String(body.utf8.count))
        }
    }

    @Test("/metrics serves the Prometheus exposition the backend renders")
    func metrics() async throws {
        _ = PrometheusMetrics.bootstrap()
        try await withServer { port, _ in
            // An earlier request on this server is certain to be in the registry by the time /metrics renders.
            let result = try await exchange(port: port, [request("/health"), request("/metrics")], count: 2)
            let response = try #require(result.responses.last)
            #expect(response.status == 200)
            #expect(response.header("Content-Type") == "text/plain; version=0.0.4; charset=utf-8")
            #expect(response.body.contains(#"admin_requests_total{path="/health",status="200"}"#))
        }
    }

    @Test("The query string is ignored")
    func queryIgnored() async throws {
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request("/health?verbose=1&x=%00")], count: 1)
            #expect(result.responses.first?.status == 200)
        }
    }

    @Test("An unknown path is 404 with a JSON error", arguments: ["/", "/nope", "/health/", "/HEALTH", "*"])
    func notFound(path: String) async throws {
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request(path)], count: 1)
            let response = try #require(result.responses.first)
            #expect(response.status == 404)
            #expect(response.header("Content-Type") == "application/json")
            #expect(response.body == #"{"error":"not found"}"#)
        }
    }

    @Test("A known path with the wrong method is 405 with Allow",
          arguments: [("POST", "/health", "GET, HEAD"), ("DELETE", "/points", "GET, HEAD"),
                      ("GET", "/reload", "POST"), ("PUT", "/metrics", "GET, HEAD")])
    func methodNotAllowed(method: String, path: String, allow: String) async throws {
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request(method, path)], count: 1)
            let response = try #require(result.responses.first)
            #expect(response.status == 405)
            #expect(response.header("Allow") == allow)
            #expect(response.body == #"{"error":"method not allowed"}"#)
        }
    }

    @Test("HEAD is GET without the body: the length is announced, the next response follows directly")
    func head() async throws {
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request("HEAD", "/health") + request("/points")], count: 2,
                                            headResponses: [0])
            #expect(result.responses.count == 2)
            #expect(result.responses.first?.status == 200)
            #expect(result.responses.first?.header("Content-Length") == "17")
            #expect(result.responses.last?.body == "M_ME_NC_1 1001 7.5\n")
        }
    }

    @Test("Routing strips query and fragment, and maps HEAD onto GET routes only")
    func routing() {
        #expect(AdminRouting(method: .GET, target: "/ready?x#y") == .route(.ready, headOnly: false))
        #expect(AdminRouting(method: .HEAD, target: "/metrics") == .route(.metrics, headOnly: true))
        #expect(AdminRouting(method: .HEAD, target: "/reload") == .methodNotAllowed(.reload))
        #expect(AdminRouting(method: .POST, target: "/reload") == .route(.reload, headOnly: false))
        #expect(AdminRouting(method: .GET, target: "/reloadx") == .notFound)
    }
}
