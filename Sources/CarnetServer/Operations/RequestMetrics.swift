import CarnetService
import Foundation
import Hummingbird
import NIOCore
import Prometheus

/// Request counts and latencies in Prometheus form, served at `GET /metrics`.
///
/// Each application owns its registry (no process-wide metrics bootstrap), so tests and several
/// applications in one process never share counters. Routes are labelled by their pattern
/// (`/fhir/Patient/{id}`), never by the raw path, so identifiers do not leak into metrics.
struct RequestMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()

    static let buckets: [Duration] = [.milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25),
                                      .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1),
                                      .seconds(2), .seconds(5)]

    static var requests: MetricNameDescriptor { MetricNameDescriptor(namespace: "carnet", subsystem: "http", metricName: "requests", unitName: "total",
                                               helpText: "HTTP requests by method, route pattern and status") }
    static var latency: MetricNameDescriptor { MetricNameDescriptor(namespace: "carnet", subsystem: "http", metricName: "request_duration", unitName: "seconds",
                                              helpText: "HTTP request latency by method and route pattern") }

    func record(method: String, route: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Self.requests,
                             labels: [("method", method), ("route", route), ("status", String(status))]).increment()
        registry.makeDurationHistogram(descriptor: Self.latency,
                                       labels: [("method", method), ("route", route)], buckets: Self.buckets).record(duration)
    }

    /// Serves `/metrics`; the database and outbox gauges are sampled at each scrape (one ping, one
    /// count), so they are as fresh as the scrape and cost nothing in between.
    func register(on router: Router<CarnetRequestContext>, service: RecordService) {
        router.get("metrics") { _, _ -> Response in
            await sampleOperations(service)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer())))
        }
    }

    /// Database reachability and round-trip time (a saturated connection pool shows as a slow ping:
    /// the ping waits for a connection like every request), and the notification outbox backlog.
    private func sampleOperations(_ service: RecordService) async {
        let start = ContinuousClock.now
        let up: Bool
        do {
            try await service.checkDatabase()
            up = true
        } catch {
            up = false
        }
        let elapsed = ContinuousClock.now - start
        registry.makeGauge(descriptor: Self.gauge("database", "up", unit: "", "1 when the database answered the last scrape's ping")).set(up ? 1.0 : 0.0)
        registry.makeGauge(descriptor: Self.gauge("database", "ping", unit: "seconds",
                                                  "Time to get a database connection and run SELECT 1 (grows when the pool is saturated)"))
            .set(Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
        if let backlog = try? await service.notificationBacklog() {
            registry.makeGauge(descriptor: Self.gauge("notification", "outbox_backlog", unit: "", "Patient notifications waiting for delivery")).set(Double(backlog))
        }
    }

    private static func gauge(_ subsystem: String, _ name: String, unit: String, _ help: String) -> MetricNameDescriptor {
        MetricNameDescriptor(namespace: "carnet", subsystem: subsystem, metricName: name, unitName: unit, helpText: help)
    }
}

/// Records every request into ``RequestMetrics``; sits outside the error middleware so it sees final statuses.
struct RequestMetricsMiddleware: RouterMiddleware {
    typealias Context = CarnetRequestContext
    let metrics: RequestMetrics

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let start = ContinuousClock.now
        var status = 500
        defer {
            metrics.record(method: request.method.rawValue, route: context.endpointPath ?? "unmatched", status: status,
                           duration: ContinuousClock.now - start)
        }
        let response = try await next(request, context)
        status = response.status.code
        return response
    }
}
