import Admin
import Metrics
import Prometheus
import Testing

@Suite("Prometheus metrics")
struct MetricsTests {
    @Test("bootstrap() may be called again and returns the same instance")
    func bootstrapTwice() {
        let first = PrometheusMetrics.bootstrap()
        let second = PrometheusMetrics.bootstrap()
        #expect(first === second)
        #expect(first.registry === second.registry)
    }

    @Test("A swift-metrics counter incremented after bootstrap appears in the rendering")
    func counterRendered() {
        let metrics = PrometheusMetrics.bootstrap()
        Counter(label: "admin_tests_events_total", dimensions: [("kind", "render-check")]).increment(by: 3)
        let text = metrics.render()
        #expect(text.contains("# TYPE admin_tests_events_total counter"))
        #expect(text.contains(#"admin_tests_events_total{kind="render-check"} 3"#))
    }

    @Test("Gauges made on the registry directly are rendered too")
    func registryGauge() {
        let metrics = PrometheusMetrics.bootstrap()
        let descriptor = MetricNameDescriptor(metricName: "admin_tests_site_power_kw", unitName: "", helpText: "Test")
        metrics.registry.makeGauge(descriptor: descriptor, labels: [("site", "t")]).set(42.5)
        #expect(metrics.render().contains(#"admin_tests_site_power_kw{site="t"} 42.5"#))
        #expect(metrics.response().contentType == "text/plain; version=0.0.4; charset=utf-8")
    }

    @Test("The server counts answered requests by path and status, unknown paths as other")
    func requestCounters() async throws {
        let metrics = PrometheusMetrics.bootstrap()
        try await withServer { port, _ in
            let result = try await exchange(port: port, [request("/no-such-\(port)"), request("POST", "/health")],
                                            count: 2)
            #expect(result.responses.map(\.status) == [404, 405])
        }
        let text = metrics.render()
        #expect(text.contains(#"admin_requests_total{path="other",status="404"}"#))
        #expect(text.contains(#"admin_requests_total{path="/health",status="405"}"#))
        #expect(!text.contains("no-such-"))
    }

    @Test("Refusals are counted by reason")
    func refusalCounters() async throws {
        let metrics = PrometheusMetrics.bootstrap()
        try await withServer { port, _ in
            let result = try await exchange(port: port, ["\u{1}\r\n\r\n"], count: 1, untilClosed: true)
            #expect(result.responses.first?.status == 400)
        }
        #expect(metrics.render().contains(#"admin_refused_total{reason="malformed_request"}"#))
    }
}
