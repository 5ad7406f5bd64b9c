import CatalogJSON
import Foundation

/// Reads a `sources.yaml` written for the Kubeflow model-registry catalog (upstream) as it is,
/// into the sections of the shipped model and MCP catalogs.
///
/// ```yaml
/// model_catalogs:
///   - {id: org, name: Org models, type: yaml, labels: [Org], includedModels: ["org/*"],
///      properties: {yamlCatalogPath: models.yaml}}
/// mcp_catalogs:
///   - {id: tools, name: Tools, type: yaml, excludedServers: ["*-beta"], properties: {yamlCatalogPath: mcp.yaml}}
/// catalogs: []          # the legacy list of model sources; model_catalogs wins on the same id
/// labels:
///   - {name: Org, displayName: Our organisation, assetType: models}
/// namedQueries:
///   small: {size: {operator: IN, value: [7B, 13B]}}                      # flat form: models
///   verified: {assetType: mcp_servers, filters: {verifiedSource: {operator: "=", value: true}}}
/// ```
///
/// Model sources go to the `models` section, MCP sources to `mcp`, with upstream's fields
/// translated: `includedModels`/`includedServers` become `includedItems`, `excludedModels`/
/// `excludedServers` (and the legacy `properties.excludedModels`) become `excludedItems`.
/// Labels and named queries go to the section of their `assetType` (`models` when absent);
/// named queries are kept in the flat form `{field: {operator, value}}`. What upstream refuses
/// is refused here with the file and the place: an unknown key, a source without an id, an id
/// twice in one list or in both lists, an empty pattern, a label without a name or named twice
/// in one file, a named query without filters, with an unknown operator or a null value.
/// Merging with other files follows upstream's rules (see ``CatalogSection/merge(_:rules:)``).
enum UpstreamSources {
    /// The configuration keys of the shipped catalogs that serve upstream's two asset types.
    static let modelSection = "models"
    static let mcpSection = "mcp"

    /// Top-level keys that only an upstream file has.
    static let upstreamKeys: Set<String> = ["model_catalogs", "mcp_catalogs", "labels", "namedQueries"]
    private static let topLevelKeys: Set<String> = upstreamKeys.union(["catalogs", "plugins"])
    private static let sourceFields: Set<String> = ["id", "name", "type", "enabled", "labels", "properties", "assetType"]
    /// Output fields of upstream's generated model-source type, accepted there and ignored.
    private static let modelOutputFields: Set<String> = ["status", "error", "hasApiKey", "authenticated", "hfUsername"]
    private static let operators: Set<String> = ["=", "!=", ">", "<", ">=", "<=", "LIKE", "ILIKE", "IN", "NOT IN"]

    /// Whether `root` is an upstream document: it has one of upstream's own keys, or `catalogs`
    /// is a list (ours is a mapping).
    static func isUpstream(_ root: [String: JSONValue]) -> Bool {
        !upstreamKeys.isDisjoint(with: root.keys) || root["catalogs"]?.arrayValue != nil
    }

    /// The sections of one upstream file.
    ///
    /// - Parameters:
    ///   - root: The document.
    ///   - file: The file, absolute: relative `*Path` properties are resolved against its directory.
    /// - Throws: ``YAMLDocumentError`` naming the file and the place of the first mistake.
    static func sections(of root: [String: JSONValue], file: String) throws -> [String: CatalogSection] {
        func invalid(_ problem: String) -> YAMLDocumentError { YAMLDocumentError(path: file, problem: problem) }
        for key in root.keys.sorted() where !topLevelKeys.contains(key) {
            throw invalid("\(key) is not a key of an upstream sources file; it has \(topLevelKeys.sorted().joined(separator: ", "))")
        }
        if root["catalogs"]?.objectValue != nil {
            throw invalid("catalogs is a mapping (catalog-server's format) but the file also has upstream keys; use one format per file")
        }
        var sections = [modelSection: CatalogSection(), mcpSection: CatalogSection()]
        let directory = (file as NSString).deletingLastPathComponent

        let models = try list(root, "model_catalogs", invalid)
        let legacy = try list(root, "catalogs", invalid)
        let modelIDs = Set(models.compactMap { $0["id"]?.stringValue })
        let modelEntries = models.enumerated().map { ("model_catalogs[\($0.offset)]", $0.element) }
            + legacy.enumerated().filter { !modelIDs.contains($0.element["id"]?.stringValue ?? "") }
                .map { ("catalogs[\($0.offset)]", $0.element) }
        let mcpEntries = try list(root, "mcp_catalogs", invalid).enumerated().map { ("mcp_catalogs[\($0.offset)]", $0.element) }

        for (entries, key, kind) in [(modelEntries, modelSection, "Models"), (mcpEntries, mcpSection, "Servers")] {
            for (location, value) in entries {
                let source = try source(value, kind: kind, at: location, file: file, directory: directory, invalid)
                let id = source["id"]?.stringValue ?? ""
                if sections[key]!.sources.contains(where: { $0["id"]?.stringValue == id }) {
                    throw invalid("\(location): duplicate \(key == modelSection ? "model" : "mcp") catalog id \"\(id)\"")
                }
                if key == mcpSection, sections[modelSection]!.sources.contains(where: { $0["id"]?.stringValue == id }) {
                    throw invalid("\(location): id \"\(id)\" is used by a model source and an MCP source; ids are unique across both")
                }
                sections[key]!.sources.append(source)
            }
        }
        try addLabels(root["labels"], to: &sections, invalid)
        try addNamedQueries(root["namedQueries"], to: &sections, invalid)
        return sections
    }

    private static func list(_ root: [String: JSONValue], _ key: String, _ invalid: (String) -> YAMLDocumentError) throws -> [JSONValue] {
        guard let value = root[key], value != .null else { return [] }
        guard let list = value.arrayValue else { throw invalid("\(key) must be a list of sources") }
        return list
    }

    /// One source, translated; `kind` is `Models` or `Servers` (the suffix of its pattern lists).
    private static func source(
        _ value: JSONValue, kind: String, at location: String, file: String, directory: String,
        _ invalid: (String) -> YAMLDocumentError
    ) throws -> JSONValue {
        guard let fields = value.objectValue else { throw invalid("\(location) must be a mapping") }
        let included = "included\(kind)", excluded = "excluded\(kind)"
        let known = sourceFields.union([included, excluded]).union(kind == "Models" ? modelOutputFields : [])
        for key in fields.keys.sorted() where !known.contains(key) {
            throw invalid("\(location).\(key) is not a field of a source; it has \(known.sorted().joined(separator: ", "))")
        }
        guard let id = fields["id"]?.stringValue, !id.isEmpty else { throw invalid("\(location) needs a non-empty string id") }
        var entry: [String: JSONValue] = ["id": .string(id), "origin": .string(file)]
        for key in ["name", "type"] where fields[key] != nil && fields[key] != .null {
            guard let text = fields[key]?.stringValue else { throw invalid("\(location).\(key) must be a string") }
            entry[key] = .string(text)
        }
        if let enabled = fields["enabled"], enabled != .null {
            guard enabled.boolValue != nil else { throw invalid("\(location).enabled must be true or false") }
            entry["enabled"] = enabled
        }
        if let labels = fields["labels"], labels != .null {
            entry["labels"] = .array(try strings(labels, at: "\(location).labels", allowEmpty: true, invalid).map(JSONValue.string))
        }
        if let assetType = fields["assetType"], assetType != .null,
            !["models", "mcp_servers"].contains(assetType.stringValue ?? "")
        {
            throw invalid("\(location).assetType must be models or mcp_servers")
        }
        if let properties = fields["properties"], properties != .null {
            guard let map = properties.objectValue?.dictionary else { throw invalid("\(location).properties must be a mapping") }
            if kind == "Models", let legacy = map[legacyExclusions] {
                // Kept in properties and joined to excludedItems after every file is merged,
                // as upstream does (see applyLegacyExclusions).
                _ = try strings(legacy, at: "\(location).properties.\(legacyExclusions)", allowEmpty: false, invalid)
            }
            entry["properties"] = .object(SourcesConfiguration.resolvingPaths(in: map, against: directory))
        }
        if let patterns = fields[included], patterns != .null {
            entry["includedItems"] = .array(try strings(patterns, at: "\(location).\(included)", allowEmpty: false, invalid).map(JSONValue.string))
        }
        if let patterns = fields[excluded], patterns != .null {
            entry["excludedItems"] = .array(try strings(patterns, at: "\(location).\(excluded)", allowEmpty: false, invalid).map(JSONValue.string))
        }
        return .object(entry)
    }

    private static func strings(
        _ value: JSONValue, at location: String, allowEmpty: Bool, _ invalid: (String) -> YAMLDocumentError
    ) throws -> [String] {
        guard let list = value.arrayValue else { throw invalid("\(location) must be a list of strings") }
        return try list.enumerated().map { index, element in
            guard let text = element.stringValue else { throw invalid("\(location)[\(index)] must be a string") }
            if !allowEmpty && text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                throw invalid("\(location)[\(index)]: pattern cannot be empty")
            }
            return allowEmpty ? text : text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }

    /// The legacy place of a model source's exclusions: `properties.excludedModels`.
    static let legacyExclusions = "excludedModels"

    /// Joins each merged model source's legacy `properties.excludedModels` to its
    /// `excludedItems`, as upstream does once its files are merged.
    static func applyLegacyExclusions(to section: inout CatalogSection) {
        for index in section.sources.indices {
            guard var source = section.sources[index].objectValue, var properties = source["properties"]?.objectValue,
                let legacy = properties.removeValue(forKey: legacyExclusions)?.arrayValue
            else { continue }
            let patterns = legacy.compactMap { $0.stringValue?.trimmingCharacters(in: .whitespacesAndNewlines) }
            source["excludedItems"] = .array((source["excludedItems"]?.arrayValue ?? []) + patterns.map(JSONValue.string))
            source["properties"] = .object(properties)
            section.sources[index] = .object(source)
        }
    }

    /// Section key for an `assetType`: `models` (or absent) and `mcp_servers`.
    private static func section(of assetType: JSONValue?, at location: String, _ invalid: (String) -> YAMLDocumentError) throws -> String {
        switch assetType?.stringValue ?? (assetType == nil || assetType == .null ? "models" : "") {
        case "models": return modelSection
        case "mcp_servers": return mcpSection
        default: throw invalid("\(location).assetType must be models or mcp_servers")
        }
    }

    private static func addLabels(
        _ value: JSONValue?, to sections: inout [String: CatalogSection], _ invalid: (String) -> YAMLDocumentError
    ) throws {
        guard let value, value != .null else { return }
        guard let list = value.arrayValue else { throw invalid("labels must be a list of mappings") }
        var seen: Set<String> = []
        for (index, label) in list.enumerated() {
            guard let fields = label.objectValue else { throw invalid("labels[\(index)] must be a mapping") }
            guard let name = fields["name"]?.stringValue, !name.isEmpty else {
                throw invalid("invalid label at index \(index): missing required 'name' field")
            }
            for (key, field) in fields where field.stringValue == nil {
                throw invalid("labels[\(index)].\(key) must be a string")
            }
            guard seen.insert(name).inserted else { throw invalid("labels[\(index)]: label \"\(name)\" appears twice") }
            // The model catalog answers upstream's `/labels` for every asset type, so it gets
            // them all; the section of the label's own asset type gets it too.
            let key = try section(of: fields["assetType"], at: "labels[\(index)]", invalid)
            for target in Set([modelSection, key]) {
                var labels = sections[target]!.labels.arrayValue ?? []
                labels.append(label)
                sections[target]!.labels = .array(labels)
            }
        }
    }

    private static func addNamedQueries(
        _ value: JSONValue?, to sections: inout [String: CatalogSection], _ invalid: (String) -> YAMLDocumentError
    ) throws {
        guard let value, value != .null else { return }
        guard let queries = value.objectValue else { throw invalid("namedQueries must be a mapping of query names") }
        for (name, query) in queries.sorted(by: { $0.key < $1.key }) {
            let location = "namedQueries.\(name)"
            guard !name.isEmpty, let fields = query.objectValue else { throw invalid("\(location) must be a mapping") }
            let key: String
            let filters: JSONObject
            if let nested = fields["filters"] {
                key = try section(of: fields["assetType"], at: location, invalid)
                guard let map = nested.objectValue else { throw invalid("\(location).filters must be a mapping") }
                filters = map
            } else {
                key = modelSection
                filters = fields
            }
            guard !filters.isEmpty else { throw invalid("\(location) has no filters") }
            for (field, filter) in filters {
                let at = "\(location).\(field)"
                guard !field.isEmpty, let condition = filter.objectValue else { throw invalid("\(at) must be {operator, value}") }
                guard let op = condition["operator"]?.stringValue, operators.contains(op.uppercased()) else {
                    throw invalid("\(at).operator must be one of \(operators.sorted().joined(separator: " "))")
                }
                guard let operand = condition["value"], operand != .null else { throw invalid("\(at).value must not be null") }
                if ["IN", "NOT IN"].contains(op.uppercased()), operand.arrayValue == nil {
                    throw invalid("\(at).value must be a list for \(op)")
                }
            }
            sections[key]!.namedQueries[name] = .object(filters)
        }
    }
}
