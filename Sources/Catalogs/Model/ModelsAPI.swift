import CatalogPluginSDK

/// The model part of the Kubeflow catalog contract (`catalog-openapi.yaml`):
///
/// - `GET /models` — `source`, `sourceLabel`, `q`, `filterQuery`, `orderBy` (with upstream's
///   custom forms, ``ModelOrdering``), `sortOrder`, `pageSize`, `nextPageToken`, and
///   `recommendations` with its performance parameters (``PerformanceRecommendations``);
/// - `GET /models/filter_options` (``ModelFilterOptions``);
/// - `GET /labels`;
/// - `POST /sources/preview` (``SourcePreview``);
/// - `GET /sources/{source_id}/models/{model_name+}` and its `/artifacts` and
///   `/artifacts/performance` (``ModelArtifactsAPI``).
///
/// `GET /sources` is the engine's. The same model name may exist in several sources; these
/// routes address a model by source and name.
struct ModelsAPI: Sendable {
    let engine: CatalogEngine

    /// Fields `q` looks in, as upstream searches.
    static let searchFields = ["name", "description", "provider", "libraryName", "tasks"]
    static let assetTypes = ["models", "mcp_servers"]

    func register(_ routes: inout Routes) {
        routes.get("/models") { request in KubeflowResponse.answer { try list(request) } }
        routes.get("/models/filter_options") { _ in
            KubeflowResponse.answer {
                let (entities, _, configuration) = engine.snapshot
                return ModelFilterOptions.document(models: entities, definition: engine.definition, namedQueries: configuration.namedQueries)
            }
        }
        routes.get("/labels") { request in KubeflowResponse.answer { try labels(request) } }
        routes.post("/sources/preview") { request in
            KubeflowResponse.answer {
                let files = engine.snapshot.configuration.sources.compactMap { $0.properties["yamlCatalogPath"]?.stringValue }
                return try SourcePreview(request, configuredFiles: files).answer()
            }
        }
        let artifacts = ModelArtifactsAPI(engine: engine)
        routes.get("/sources/{source_id}/models/{model_name...}") { request in
            KubeflowResponse.answer { try artifacts.model(request) }
        }
    }

    // MARK: GET /models

    private func list(_ request: PluginRequest) throws -> JSONValue {
        if request.query("source").map({ !$0.isEmpty }) == true, request.query("sourceLabel").map({ !$0.isEmpty }) == true {
            throw PluginError.badRequest("source and sourceLabel cannot be used together")
        }
        let descending = try SortDirection.descending(request)
        let snapshot = engine.entitySnapshot
        if let recommended = PerformanceRecommendations.listing(request) {
            // Ordered by each model's lowest recommended latency, then paged by position: the
            // page token is an offset, not a cursor of the list query.
            var unpaged = request
            unpaged.queryItems.removeAll { ["nextPageToken", "pageToken", "orderBy"].contains($0.name) }
            let query = try ListQuery(unpaged, definition: engine.definition, dialect: .kubeflow(searchFields: Self.searchFields))
            let ordered = recommended.orderByLatency(query.matching(snapshot.entities, sourceLabels: snapshot.sourceLabels), filter: query.filter, descending: descending)
            return try OffsetPage(request).list(ordered.map(ModelData.contractModel))
        }
        let order = ModelOrdering.custom(descending: descending, definition: engine.definition)
        let query = try ListQuery(
            request, definition: engine.definition, dialect: .kubeflow(searchFields: Self.searchFields, customOrder: order))
        let page = query.run(on: snapshot)
        return KubeflowResponse.list(page.items.map(ModelData.contractModel), pageSize: page.pageSize, next: page.nextPageToken)
    }

    // MARK: GET /labels

    /// The configured labels of one asset type (`models` by default), as written; `orderBy`
    /// names a key: labels with it come first, ordered by its value, the others keep their order.
    private func labels(_ request: PluginRequest) throws -> JSONValue {
        let assetType = request.query("assetType").flatMap { $0.isEmpty ? nil : $0 } ?? "models"
        guard Self.assetTypes.contains(assetType) else {
            throw PluginError.badRequest("invalid value '\(assetType)' for assetType: valid values are \(Self.assetTypes.joined(separator: ", "))")
        }
        let descending = try SortDirection.descending(request)
        let paging = try OffsetPage(request)
        var labels = (engine.snapshot.configuration.labels.arrayValue ?? []).compactMap(Self.label)
            .filter { ($0["assetType"]?.stringValue ?? "models") == assetType }
        if let key = request.query("orderBy"), !key.isEmpty {
            let keyed = labels.enumerated().map { (index: $0.offset, value: $0.element[key]?.stringValue, label: $0.element) }
            labels = keyed.sorted { left, right in
                switch (left.value, right.value) {
                case let (l?, r?) where l != r: return descending ? r < l : l < r
                case (.some, nil): return true
                case (nil, .some): return false
                default: return left.index < right.index
                }
            }.map(\.label)
        }
        return paging.list(labels)
    }

    /// A configured label as the contract's `CatalogLabel`: a name and string values; a bare
    /// string (our own format allows one) is its name.
    private static func label(_ value: JSONValue) -> JSONValue? {
        if let name = value.stringValue { return ["name": .string(name)] }
        guard let fields = value.objectValue, fields["name"]?.stringValue != nil else { return nil }
        return .object(fields.compactMapValues { $0.stringValue.map(JSONValue.string) })
    }
}
