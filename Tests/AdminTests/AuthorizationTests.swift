@testable import Admin
import Testing

@Suite("Admin bearer token")
struct AuthorizationTests {
    static let token = "s3cr3t-t0ken"

    @Test("Without credentials every route but /health is 401 with WWW-Authenticate: Bearer",
          arguments: [("GET", "/ready"), ("GET", "/points"), ("GET", "/metrics"), ("POST", "/reload")])
    func missing(method: String, path: String) async throws {
        try await withServer(bearerToken: Self.token) { port, _ in
            let result = try await exchange(port: port, [request(method, path)], count: 1)
            let response = try #require(result.responses.first)
            #expect(response.status == 401)
            #expect(response.header("WWW-Authenticate") == "Bearer")
            #expect(response.body == #"{"error":"unauthorized"}"#)
        }
    }

    @Test("Wrong, truncated, extended, other-scheme or doubled credentials are refused",
          arguments: [
              ["Authorization: Bearer wrong"], ["Authorization: Bearer s3cr3t-t0ke"],
              ["Authorization: Bearer s3cr3t-t0ken2"], ["Authorization: Basic czNjcjN0LXQwa2Vu"],
              ["Authorization: s3cr3t-t0ken"], ["Authorization: Bearer "],
              ["Authorization: Bearer s3cr3t-t0ken", "Authorization: Bearer s3cr3t-t0ken"],
          ])
    func wrong(headers: [String]) async throws {
        try await withServer(bearerToken: Self.token) { port, _ in
            let result = try await exchange(port: port, [request("/ready", headers: headers)], count: 1)
            #expect(result.responses.first?.status == 401)
        }
    }

    @Test("The right token opens the routes; the scheme is case-insensitive",
          arguments: ["Bearer s3cr3t-t0ken", "bearer s3cr3t-t0ken", "BEARER  s3cr3t-t0ken"])
    func right(value: String) async throws {
        try await withServer(bearerToken: Self.token) { port, _ in
            let result = try await exchange(
                port: port, [request("/ready", headers: ["Authorization: \(value)"]),
                             request("POST", "/reload", headers: ["Authorization: \(value)"])], count: 2)
            #expect(result.responses.map(\.status) == [200, 202])
            #expect(result.responses.first?.body == #"{"ready":true}"#)
        }
    }

    @Test("/health needs no token, and unknown paths stay 404")
    func healthOpen() async throws {
        try await withServer(bearerToken: Self.token) { port, _ in
            let result = try await exchange(port: port, [request("/health"), request("/secret")], count: 2)
            #expect(result.responses.map(\.status) == [200, 404])
        }
    }

    @Test("The comparison is exact in content and length; an empty configured token admits nobody")
    func comparison() {
        let check = BearerAuthorization(token: "abc")
        #expect(check.admits(["Bearer abc"]))
        #expect(!check.admits(["Bearer abd"]))
        #expect(!check.admits(["Bearer ab"]))
        #expect(!check.admits(["Bearer abc\u{0}"]))
        #expect(!check.admits([]))
        #expect(!BearerAuthorization(token: "").admits(["Bearer "]))
        #expect(BearerAuthorization.constantTimeEquals(Array("xyz".utf8), Array("xyz".utf8)))
        #expect(!BearerAuthorization.constantTimeEquals([], Array("xyz".utf8)))
    }
}
