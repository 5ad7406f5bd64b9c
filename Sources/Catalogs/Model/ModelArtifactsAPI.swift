import CatalogPluginSDK
import Foundation

/// `GET /sources/{source_id}/models/{model_name+}`: a model of one source, and with a last
/// segment `/artifacts` or `/artifacts/performance` its artifacts, as upstream routes them
/// (names may hold `/`, plain, as `%2F`, or as `%252F` as upstream's Python client sends it;
/// the suffix wins when the model before it exists).
///
/// Artifact lists take `artifactType` (also upstream's older `artifact_type`; repeated or
/// separated by commas), `filterQuery` on the artifacts' fields and custom properties,
/// `orderBy` (`ID`, the order of the data file and the default, `NAME`, `CREATE_TIME`,
/// `LAST_UPDATE_TIME`, or `<property>.<string_value|double_value|int_value>`), `sortOrder`,
/// `pageSize` and `nextPageToken`. The performance list holds the `performance-metrics`
/// artifacts, with ``PerformanceRecommendations``.
struct ModelArtifactsAPI: Sendable {
    let engine: CatalogEngine

    /// How names in an artifact `filterQuery` resolve: upstream's artifact fields, any other
    /// name a custom property.
    static let filterFields: FilterFields = {
        let fields: Set<String> = ["id", "name", "externalId", "createTimeSinceEpoch", "lastUpdateTimeSinceEpoch", "uri", "state", "artifactType", "metricsType", "description"]
        return FilterFields(isField: { fields.contains($0) }, customProperties: "customProperties")
    }()

    func model(_ request: PluginRequest) throws -> JSONValue {
        let source = Self.decodedAgain(try request.parameter("source_id"))
        let path = Self.decodedAgain(try request.parameter("model_name"))
        for (suffix, performance) in [("/artifacts/performance", true), ("/artifacts", false)] where path.hasSuffix(suffix) {
            let name = String(path.dropLast(suffix.count))
            if let model = engine.entity(named: name, source: source) {
                return try artifacts(of: model, request: request, performance: performance)
            }
        }
        guard let model = engine.entity(named: path, source: source) else {
            throw PluginError.notFound("No model found '\(path)' in source '\(source)'")
        }
        return ModelData.contractModel(model)
    }

    /// A path parameter decoded a second time, as upstream's server decodes it: upstream's
    /// Python client encodes names itself (`/` as `%2F`) and its generated layer encodes the
    /// result again. A value that does not decode (`50%`) stays as it is; a name that holds a
    /// valid escape itself (`a%41`) is reached as upstream reaches it, by encoding its `%`. The
    /// value is only compared with names and echoed in JSON, so a NUL it may decode to is harmless.
    static func decodedAgain(_ value: String) -> String {
        value.contains("%") ? value.removingPercentEncoding ?? value : value
    }

    private func artifacts(of model: JSONValue, request: PluginRequest, performance: Bool) throws -> JSONValue {
        var artifacts = (model["artifacts"]?.arrayValue ?? []).map(ModelData.contractArtifact)
        if performance {
            artifacts = artifacts.filter(PerformanceRecommendations.isPerformance)
        } else {
            let types = request.queryItems.filter { $0.name == "artifactType" || $0.name == "artifact_type" }
                .flatMap { $0.value.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
            for type in types where !ModelData.artifactTypes.contains(type) {
                throw PluginError.badRequest("invalid artifact type \"\(type)\": use \(ModelData.artifactTypes.joined(separator: " or "))")
            }
            if !types.isEmpty { artifacts = artifacts.filter { types.contains(ModelData.artifactType(of: $0)) } }
        }
        if let text = request.query("filterQuery"), !text.trimmingCharacters(in: .whitespaces).isEmpty {
            let filter = try FilterQuery(text, fields: Self.filterFields)
            artifacts = artifacts.filter(filter.matches)
        }
        if performance { artifacts = PerformanceRecommendations(request).apply(to: artifacts) }
        artifacts = try ordered(artifacts, request)
        // The contract documents no 400 for these routes: paging values that do not parse fall back.
        return try OffsetPage(request, lenient: true).list(artifacts)
    }

    /// `artifacts` in the order `orderBy` and `sortOrder` ask for; those without the value last.
    private func ordered(_ artifacts: [JSONValue], _ request: PluginRequest) throws -> [JSONValue] {
        let descending = try SortDirection.descending(request, lenient: true)
        let order = request.query("orderBy") ?? ""
        let key: (path: [String], numeric: Bool)
        switch order {
        case "NAME": key = (["name"], false)
        case "CREATE_TIME": key = (["createTimeSinceEpoch"], true)
        case "LAST_UPDATE_TIME": key = (["lastUpdateTimeSinceEpoch"], true)
        default:
            let parts = order.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard parts.count == 2 else { return descending && order == "ID" ? artifacts.reversed() : artifacts }
            guard ModelOrdering.valueTypes.contains(parts[1]) else {
                throw PluginError.badRequest("invalid custom property value type '\(parts[1])': must be one of 'int_value', 'double_value', or 'string_value'")
            }
            guard !parts[0].isEmpty else { throw PluginError.badRequest("invalid custom property name in orderBy \"\(order)\"") }
            key = (["customProperties", parts[0]], parts[1] != "string_value")
        }
        // A value of the wrong kind (text where numbers are sorted) counts as missing.
        let keyed = artifacts.enumerated().map { index, artifact in
            let value = FieldValues.values(at: key.path, in: artifact).first
            let number = key.numeric ? value.flatMap(FieldValues.number) : nil
            let text = key.numeric ? nil : value.flatMap(FieldValues.text)
            return (index: index, number: number, text: text, artifact: artifact)
        }
        return keyed.sorted { left, right in
            if let l = left.number, let r = right.number, l != r { return descending ? r < l : l < r }
            if let l = left.text, let r = right.text, l != r { return descending ? r < l : l < r }
            let (hasLeft, hasRight) = (left.number != nil || left.text != nil, right.number != nil || right.text != nil)
            if hasLeft != hasRight { return hasLeft }
            return left.index < right.index
        }.map(\.artifact)
    }
}
