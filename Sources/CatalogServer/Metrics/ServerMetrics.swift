import Metrics
import Prometheus
import Synchronization

/// The server's Prometheus metrics, made through swift-metrics with a factory of swift-prometheus
/// and served at `GET /metrics` in Prometheus' text format (docs/operations.md).
///
/// Each server has its own registry, so several servers in one process (the tests) never mix
/// their figures, and nothing is bootstrapped globally. Label values are bounded: plugin names,
/// the route patterns plugins declared (at most 1024 each, never raw paths), methods, status
/// codes, fixed outcome and stage words — no entity names.
///
/// ```swift
/// metrics.request(plugin: "model", route: "/models", method: "GET", status: 200, duration: elapsed)
/// let text = metrics.exposition()
/// ```
public final class ServerMetrics: Sendable {
    private let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// The `catalog_entities` series last set, by plugin and source, so the ones that vanish go.
    private let entitySeries = Mutex([EntitySeries: Prometheus.Gauge]())

    private struct EntitySeries: Hashable {
        var plugin: String
        var source: String
    }

    /// The handles of the per-request series, made once per label set: making one looks it up
    /// in the registry (a lock and the labels compared), which every plugin request would pay.
    private let requestSeries = Mutex<[RequestSeries: (requests: Metrics.Counter, duration: Metrics.Timer)]>([:])
    private let callSeries = Mutex<[CallSeries: Metrics.Counter]>([:])

    private struct RequestSeries: Hashable {
        var plugin: String
        var route: String
        var method: String
        var status: String
    }

    private struct CallSeries: Hashable {
        var plugin: String
        var kind: String
        var outcome: String
    }

    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
            .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
        Gauge(
            label: "catalog_server_build_info",
            dimensions: [("version", CatalogServerVersion.current), ("abi", ABIVersion.host.description)],
            factory: factory
        ).record(1)
    }

    /// One request a plugin route answered (or the host answered for it: 502, 504).
    ///
    /// - Parameters:
    ///   - plugin: The plugin's name.
    ///   - route: The route pattern the plugin declared, e.g. `/models/{name...}`.
    ///   - method: The HTTP method.
    ///   - status: The status sent.
    ///   - duration: From the request's arrival to the answer.
    func request(plugin: String, route: String, method: String, status: Int, duration: Duration) {
        let series = RequestSeries(plugin: plugin, route: route, method: method, status: Self.statusLabel(status))
        let handles = requestSeries.withLock { made in
            if let handles = made[series] { return handles }
            let handles = (
                requests: Counter(
                    label: "catalog_plugin_requests_total",
                    dimensions: [("plugin", plugin), ("route", route), ("method", method), ("status", series.status)], factory: factory),
                duration: Timer(label: "catalog_plugin_request_duration_seconds", dimensions: [("plugin", plugin)], factory: factory))
            made[series] = handles
            return handles
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(duration.nanoseconds)
    }

    /// How one call into a plugin ended.
    ///
    /// - Parameters:
    ///   - plugin: The plugin's name.
    ///   - kind: `request` or `operation`.
    ///   - outcome: `ok`, `error` (a 4xx/5xx of the plugin's own, or the host's 502 for a
    ///     worker that went away), `timeout`, `protocol` (`complete()` instead of `respond()`,
    ///     a status out of range) or `rejected` (too many requests in flight: 503).
    func call(plugin: String, kind: String, outcome: String) {
        let series = CallSeries(plugin: plugin, kind: kind, outcome: outcome)
        callSeries.withLock { made in
            if let counter = made[series] { return counter }
            let counter = Counter(
                label: "catalog_plugin_calls_total", dimensions: [("plugin", plugin), ("kind", kind), ("outcome", outcome)], factory: factory)
            made[series] = counter
            return counter
        }.increment()
    }

    /// A plugin file or plugin refused while loading.
    ///
    /// - Parameter stage: The ``LoadStage`` it was refused at.
    func loadFailure(stage: String) {
        Counter(label: "catalog_plugin_load_failures_total", dimensions: [("stage", stage)], factory: factory).increment()
    }

    /// A worker process started again after it went away (counted per plugin it serves, whether
    /// the new start succeeds or not).
    ///
    /// - Parameter plugin: A plugin the worker serves.
    func workerRestart(plugin: String) {
        Counter(label: "catalog_worker_restarts_total", dimensions: [("plugin", plugin)], factory: factory).increment()
    }

    /// One plugin file probed.
    ///
    /// - Parameters:
    ///   - passed: Whether the file passed.
    ///   - cached: Whether the verdict came from the probe cache.
    ///   - duration: How long a probe child took; `nil` for a cached verdict.
    func probe(passed: Bool, cached: Bool, duration: Duration?) {
        Counter(
            label: "catalog_probes_total", dimensions: [("result", passed ? "passed" : "quarantined"), ("source", cached ? "cache" : "child")],
            factory: factory
        ).increment()
        if let duration { Timer(label: "catalog_probe_duration_seconds", factory: factory).recordNanoseconds(duration.nanoseconds) }
    }

    /// One reconcile of the configuration files and the plugin directory.
    ///
    /// - Parameters:
    ///   - succeeded: Whether the configuration loaded.
    ///   - duration: How long the reconcile took.
    func reconcile(succeeded: Bool, duration: Duration) {
        Counter(label: "catalog_reconciles_total", dimensions: [("outcome", succeeded ? "ok" : "error")], factory: factory).increment()
        Timer(label: "catalog_reconcile_duration_seconds", factory: factory).recordNanoseconds(duration.nanoseconds)
    }

    /// One write to a state store, as the management API made it.
    ///
    /// - Parameters:
    ///   - store: `configuration` (the managed sources layer) or `overlays`.
    ///   - outcome: `ok`, `conflict` (a stale `If-Match` version: nothing written), `unavailable`
    ///     (the state database could not be reached) or `error`.
    func storeWrite(store: String, outcome: String) {
        Counter(label: "catalog_store_writes_total", dimensions: [("store", store), ("outcome", outcome)], factory: factory).increment()
    }

    /// Whether the state database is reachable, set at each scrape when there is one.
    ///
    /// - Parameter up: connected and following the other replicas' changes.
    func stateDatabase(up: Bool) {
        Gauge(label: "catalog_state_database_up", dimensions: [], factory: factory).record(up ? 1 : 0)
    }

    /// The entities each source of each plugin serves, as the plugins last reported them.
    /// Series of sources that are no longer reported are removed.
    ///
    /// - Parameter counts: Entity counts by plugin and source id.
    func entities(_ counts: [(plugin: String, source: String, count: Int)]) {
        entitySeries.withLock { series in
            var kept: [EntitySeries: Prometheus.Gauge] = [:]
            for (plugin, source, count) in counts {
                let key = EntitySeries(plugin: plugin, source: source)
                let gauge = series.removeValue(forKey: key)
                    ?? registry.makeGauge(name: "catalog_entities", labels: [("plugin", plugin), ("source", source)])
                gauge.set(Double(count))
                kept[key] = gauge
            }
            for gauge in series.values { registry.unregisterGauge(gauge) }
            series = kept
        }
    }

    /// Status codes kept as they are; any other is counted by its class (`2xx` … `5xx`), so a
    /// plugin cannot make a series per status code.
    static let exactStatuses: Set<Int> = [200, 201, 202, 204, 304, 400, 401, 403, 404, 405, 409, 413, 422, 429, 500, 502, 503, 504]

    static func statusLabel(_ status: Int) -> String {
        exactStatuses.contains(status) ? String(status) : "\(min(max(status / 100, 1), 5))xx"
    }

    /// The metrics in Prometheus' text exposition format.
    public func exposition() -> [UInt8] {
        registry.emitToBuffer()
    }
}
