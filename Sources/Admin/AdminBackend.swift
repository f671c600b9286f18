/// What the gateway answers on the admin routes the server does not answer itself.
///
/// Methods are called concurrently from different connections; each returns the complete response, which the
/// server frames (Content-Length, keep-alive) and sends in request order.
public protocol AdminBackend: Sendable {
    /// GET /ready: 200 when the gateway can do its job (rules loaded, listeners up), 503 otherwise.
    func ready() async -> AdminResponse
    /// GET /points: the station's points and their current values.
    func points() async -> AdminResponse
    /// POST /reload: reloads the rule files and reports the outcome.
    func reload() async -> AdminResponse
    /// GET /metrics: the Prometheus text exposition.
    func metrics() async -> AdminResponse
}
