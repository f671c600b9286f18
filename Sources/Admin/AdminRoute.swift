import NIOHTTP1

/// The paths the admin server knows, each with the one method it accepts.
enum AdminRoute: String, CaseIterable, Sendable {
    case health = "/health"
    case ready = "/ready"
    case metrics = "/metrics"
    case points = "/points"
    case reload = "/reload"

    /// The method the route answers (GET routes answer HEAD too, without a body).
    var method: HTTPMethod { self == .reload ? .POST : .GET }

    /// The Allow header of a 405 on this route.
    var allowed: String { method == .GET ? "GET, HEAD" : "POST" }

    /// Liveness probes (kubelet, systemd) must work without credentials, and reveal nothing.
    var requiresAuthorization: Bool { self != .health }

    /// The route of a request target; the query string and fragment are ignored.
    init?(target: String) {
        let path = target.prefix { $0 != "?" && $0 != "#" }
        self.init(rawValue: String(path))
    }
}

/// What the router makes of a request head, before authorization.
enum AdminRouting: Equatable, Sendable {
    /// A known route with its method; `headOnly` for HEAD on a GET route.
    case route(AdminRoute, headOnly: Bool)
    /// No such path.
    case notFound
    /// The path exists but not with this method.
    case methodNotAllowed(AdminRoute)

    /// Routes `method` on `target`.
    init(method: HTTPMethod, target: String) {
        guard let route = AdminRoute(target: target) else {
            self = .notFound
            return
        }
        if method == route.method {
            self = .route(route, headOnly: false)
        } else if method == .HEAD, route.method == .GET {
            self = .route(route, headOnly: true)
        } else {
            self = .methodNotAllowed(route)
        }
    }
}
