import CatalogPluginSDK
import Foundation

/// Upstream's performance calculations on `performance-metrics` artifacts:
///
/// - with a `targetRPS`, each artifact gets custom properties `replicas` (`ceil(targetRPS / rps)`,
///   at least 1) and `total_requests_per_second` (`replicas × rps`), `rps` being the artifact's
///   `rpsProperty` (1 when absent or not positive);
/// - with `recommendations`, only the artifacts worth running are kept: per hardware type
///   (`hardwareTypeProperty`), those on the cost/latency frontier (cost = `hardwareCountProperty` ×
///   replicas; each kept one cheaper than every faster one), then thinned to steps that improve
///   latency (`latencyProperty`) by more than 5 % (10 % once latency is at most 100);
/// - `GET /models?recommendations=true` orders models by the lowest latency among their
///   recommended artifacts, models without one last.
struct PerformanceRecommendations: Sendable {
    var targetRPS: Int?
    var recommend: Bool
    var latencyProperty = "ttft_p90"
    var rpsProperty = "requests_per_second"
    var hardwareCountProperty = "hardware_count"
    var hardwareTypeProperty = "hardware_type"

    /// The parameters of `request`. The contract documents no 400 for the performance route:
    /// values that do not parse are ignored.
    init(_ request: PluginRequest) {
        targetRPS = request.query("targetRPS").flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        recommend = request.query("recommendations")?.lowercased() == "true"
        for (name, keyPath) in [
            ("latencyProperty", \PerformanceRecommendations.latencyProperty), ("rpsProperty", \.rpsProperty),
            ("hardwareCountProperty", \.hardwareCountProperty), ("hardwareTypeProperty", \.hardwareTypeProperty),
        ] {
            if let value = request.query(name), !value.isEmpty { self[keyPath: keyPath] = value }
        }
    }

    /// The recommendation ordering a `GET /models` request asks for, with `recommendations=true`
    /// (the contract) or `orderBy=RECOMMENDED` (upstream's newer spelling), or `nil`.
    static func listing(_ request: PluginRequest) -> PerformanceRecommendations? {
        let recommendations = PerformanceRecommendations(request)
        guard recommendations.recommend || request.query("orderBy") == "RECOMMENDED" else { return nil }
        return recommendations
    }

    static func isPerformance(_ artifact: JSONValue) -> Bool {
        ModelData.artifactType(of: artifact) == "metrics-artifact" && artifact["metricsType"]?.stringValue == "performance-metrics"
    }

    /// `artifacts` with replicas computed for the target (1 when recommending without one),
    /// and, when recommending, only the recommended ones, in their order.
    func apply(to artifacts: [JSONValue]) -> [JSONValue] {
        guard let target = targetRPS ?? (recommend ? 1 : nil) else { return artifacts }
        let sized = artifacts.map { withReplicas($0, target: target) }
        return recommend ? recommended(sized) : sized
    }

    private func withReplicas(_ artifact: JSONValue, target: Int) -> JSONValue {
        guard var object = artifact.objectValue else { return artifact }
        let rps = number(rpsProperty, in: artifact).flatMap { $0 > 0 ? $0 : nil } ?? 1
        // At most 999 999 999: the contract's int_value has at most nine digits.
        let replicas = Int64(min(max((Double(target) / rps).rounded(.up), 1), 999_999_999))
        var properties = object["customProperties"]?.objectValue ?? [:]
        properties["replicas"] = ["metadataType": "MetadataIntValue", "int_value": .string(String(replicas))]
        properties["total_requests_per_second"] = ["metadataType": "MetadataDoubleValue", "double_value": .number(Double(replicas) * rps)]
        object["customProperties"] = .object(properties)
        return .object(object)
    }

    /// The recommended ones of `artifacts`, in their order; artifacts without a latency are
    /// never recommended.
    private func recommended(_ artifacts: [JSONValue]) -> [JSONValue] {
        /// What the choice needs of one artifact, read once.
        struct Run {
            var index: Int
            var latency: Double
            var count: Double
            var cost: Double
        }
        let runs = artifacts.indices.compactMap { index -> (hardware: String, run: Run)? in
            let artifact = artifacts[index]
            guard let latency = number(latencyProperty, in: artifact).flatMap({ $0 > 0 ? $0 : nil }) else { return nil }
            let count = number(hardwareCountProperty, in: artifact).flatMap { $0 > 0 ? $0 : nil } ?? 1
            let hardware = FieldValues.values(at: ["customProperties", hardwareTypeProperty], in: artifact).first.flatMap(FieldValues.text) ?? ""
            return (hardware, Run(index: index, latency: latency, count: count, cost: count * (number("replicas", in: artifact) ?? 1)))
        }
        var kept = Set<Int>()
        for group in Dictionary(grouping: runs, by: \.hardware).values {
            let sorted = group.map(\.run).sorted { ($0.latency, $0.count, $0.index) < ($1.latency, $1.count, $1.index) }
            // The frontier: from the fastest, each kept one is cheaper than all faster ones.
            var cheapest = Double.greatestFiniteMagnitude
            var frontier: [Run] = []
            for run in sorted where run.cost < cheapest {
                cheapest = run.cost
                frontier.append(run)
            }
            // From the cheapest, keep a step only when it is markedly faster.
            guard let first = frontier.last else { continue }
            kept.insert(first.index)
            var last = first.latency
            for run in frontier.reversed().dropFirst() where (last - run.latency) / last > (last <= 100 ? 0.1 : 0.05) {
                kept.insert(run.index)
                last = run.latency
            }
        }
        return artifacts.indices.filter(kept.contains).map { artifacts[$0] }
    }

    /// `models` ordered by the lowest latency of their recommended performance artifacts, models
    /// without one last, each group by name and source. The `artifacts.` conditions of the
    /// list's `filter` choose the artifacts that count, as upstream reads them.
    func orderByLatency(_ models: [JSONValue], filter: FilterQuery?, descending: Bool) -> [JSONValue] {
        let condition = filter?.elementCondition("artifacts")
        var recommending = self
        recommending.recommend = true
        let keyed = models.map { model -> (latency: Double?, name: String, source: String, model: JSONValue) in
            let artifacts = (model["artifacts"]?.arrayValue ?? []).filter { Self.isPerformance($0) && (condition?($0) ?? true) }
                .map(ModelData.contractArtifact)
            let latency = recommending.apply(to: artifacts).compactMap { number(latencyProperty, in: $0) }.min()
            return (latency, model["name"]?.stringValue ?? "", model["source_id"]?.stringValue ?? "", model)
        }
        return keyed.sorted { left, right in
            switch (left.latency, right.latency) {
            case let (l?, r?) where l != r: return descending ? r < l : l < r
            case (.some, nil): return true
            case (nil, .some): return false
            default: return (left.name, left.source) < (right.name, right.source)
            }
        }.map(\.model)
    }

    private func number(_ property: String, in artifact: JSONValue) -> Double? {
        FieldValues.values(at: ["customProperties", property], in: artifact).first.flatMap(FieldValues.number)
    }
}
