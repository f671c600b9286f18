import Metrics
import Prometheus

/// The process's Prometheus registry, installed as the swift-metrics backend, and its text exposition.
public final class PrometheusMetrics: Sendable {
    /// The registry behind every swift-metrics handle; the gateway can also register gauges here directly.
    public let registry: PrometheusCollectorRegistry

    private init(registry: PrometheusCollectorRegistry) {
        self.registry = registry
    }

    /// Swift initialises a static `let` exactly once, thread-safely, so the bootstrap below runs once per
    /// process however many callers race to it (`MetricsSystem.bootstrap` traps on a second call).
    private static let shared: PrometheusMetrics = {
        let metrics = PrometheusMetrics(registry: PrometheusCollectorRegistry())
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: metrics.registry))
        return metrics
    }()

    /// Bootstraps swift-metrics with a Prometheus factory on the first call; later calls return the same instance.
    ///
    /// Nothing else in the process may call `MetricsSystem.bootstrap`: swift-metrics would trap.
    public static func bootstrap() -> PrometheusMetrics { shared }

    /// The current values in the Prometheus text exposition format.
    public func render() -> String {
        var bytes: [UInt8] = []
        registry.emit(into: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `render()` as a /metrics response, for the gateway's `AdminBackend.metrics()`.
    public func response() -> AdminResponse {
        .prometheus(render())
    }
}
