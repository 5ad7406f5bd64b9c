import CatalogPluginSDK
import Foundation

/// `POST /sources/preview`: which models a source configuration would include.
///
/// The multipart body holds `config`, a YAML source (`type: yaml`, `includedModels`,
/// `excludedModels`, `properties`), and optionally `catalogData`, a model data file. Without
/// `catalogData` the models are read from `properties.yamlCatalogPath`, which must be the data
/// file of a configured model source (a relative path is looked up beside those files; symbolic
/// links are resolved on both sides, so a Kubernetes ConfigMap mount works): a client cannot make
/// the server read anything else. `filterStatus` (`all`, `included`, `excluded`) narrows the
/// items; the summary always counts all of them.
///
/// A malformed request (no `config`, a bad `filterStatus` or paging value) is a 400; a
/// configuration or data file that cannot be used is a 422, as upstream answers. Client input
/// is bounded: at most ``maximumPatterns`` patterns per list of ``maximumPatternLength``
/// characters, and at most ``maximumMatchWork`` for the characters of all names times those of
/// all patterns, which bounds the matching.
struct SourcePreview {
    static let maximumPatterns = 100
    static let maximumPatternLength = FilterQuery.Limits.maximumPatternLength
    static let maximumMatchWork = 1_000_000_000

    let config: [UInt8]
    let catalogData: [UInt8]?
    let filterStatus: String
    let paging: OffsetPage
    /// Data files of the configured sources: where path mode may read.
    let configuredFiles: [String]

    init(_ request: PluginRequest, configuredFiles: [String]) throws {
        let form = try MultipartForm(request)
        guard let config = form["config"] else { throw PluginError.badRequest("config file is required") }
        self.config = config.body
        catalogData = form["catalogData"].flatMap { $0.body.isEmpty ? nil : $0.body }
        filterStatus = request.query("filterStatus")?.lowercased() ?? "all"
        guard ["all", "included", "excluded"].contains(filterStatus) else {
            throw PluginError.badRequest("invalid filterStatus: must be 'all', 'included', or 'excluded'")
        }
        paging = try OffsetPage(request)
        self.configuredFiles = configuredFiles
    }

    func answer() throws -> JSONValue {
        let source = try Self.source(config)
        let names = try modelNames(source)
        let work = names.reduce(0) { $0 + $1.utf8.count } * source.patternCharacters
        guard work <= Self.maximumMatchWork else {
            throw PluginError(status: 422, message: "the preview is too large: \(names.count) models against \(source.patternCharacters) characters of patterns; preview fewer models or patterns")
        }
        let included = names.map { (name: $0, included: source.includes($0)) }
        let shown = included.filter { filterStatus == "all" || $0.included == (filterStatus == "included") }
        var page = paging.list(shown.map { ["name": .string($0.name), "included": .bool($0.included)] })
        if case .object(var object) = page {
            let count = included.filter(\.included).count
            object["summary"] = [
                "totalModels": .integer(Int64(included.count)), "includedModels": .integer(Int64(count)),
                "excludedModels": .integer(Int64(included.count - count)),
            ]
            page = .object(object)
        }
        return page
    }

    /// The part of a source configuration a preview needs.
    struct Source {
        var type: String
        var included: [WildcardPattern]
        var excluded: [WildcardPattern]
        var properties: [String: JSONValue]
        /// Characters of all patterns.
        var patternCharacters: Int

        func includes(_ name: String) -> Bool {
            (included.isEmpty || included.contains { $0.matches(name) }) && !excluded.contains { $0.matches(name) }
        }
    }

    static func source(_ bytes: [UInt8]) throws -> Source {
        func invalid(_ message: String) -> PluginError { PluginError(status: 422, message: "invalid config: \(message)") }
        let document: JSONValue
        do {
            document = try YAMLDocument.parse(String(decoding: bytes, as: UTF8.self), path: "config")
        } catch {
            throw invalid("\(error)")
        }
        guard let fields = document.objectValue else { throw invalid("the config must be a mapping") }
        if let assetType = fields["assetType"]?.stringValue, assetType != "models" {
            throw invalid("the model catalog previews model sources; assetType \(assetType) is not supported here")
        }
        guard let type = fields["type"]?.stringValue, !type.isEmpty else { throw invalid("missing required field: type") }
        func patterns(_ keys: [String]) throws -> [String] {
            try keys.flatMap { key -> [String] in
                guard let value = fields[key], value != .null else { return [] }
                guard let list = value.arrayValue, list.allSatisfy({ $0.stringValue != nil }) else { throw invalid("\(key) must be a list of strings") }
                guard list.count <= maximumPatterns else { throw invalid("\(key) has more than \(maximumPatterns) patterns") }
                return try list.compactMap(\.stringValue).map { pattern in
                    guard !pattern.trimmingCharacters(in: .whitespaces).isEmpty else { throw invalid("\(key) has an empty pattern") }
                    guard pattern.count <= maximumPatternLength else {
                        throw invalid("\(key) has a pattern longer than \(maximumPatternLength) characters")
                    }
                    return pattern
                }
            }
        }
        let included = try patterns(["includedModels", "includedItems"])
        let excluded = try patterns(["excludedModels", "excludedItems"])
        if let both = included.first(where: Set(excluded).contains) {
            throw invalid("pattern \"\(both)\" is in both includedModels and excludedModels")
        }
        guard fields["properties"] == nil || fields["properties"] == .null || fields["properties"]?.objectValue != nil else {
            throw invalid("properties must be a mapping")
        }
        return Source(
            type: type, included: included.map(WildcardPattern.glob), excluded: excluded.map(WildcardPattern.glob),
            properties: fields["properties"]?.objectValue?.dictionary ?? [:], patternCharacters: (included + excluded).reduce(0) { $0 + $1.count })
    }

    /// The model names of the data file, in its order.
    private func modelNames(_ source: Source) throws -> [String] {
        func failed(_ message: String) -> PluginError { PluginError(status: 422, message: "failed to load models: \(message)") }
        guard source.type == "yaml" else { throw failed("unsupported source type: \(source.type); this server previews yaml sources") }
        let document: JSONValue
        do {
            if let catalogData {
                document = try YAMLDocument.parse(String(decoding: catalogData, as: UTF8.self), path: "catalogData")
            } else {
                document = try YAMLDocument.load(path: try dataFile(source))
            }
        } catch let error as PluginError {
            throw error
        } catch {
            throw failed("\(error)")
        }
        guard let models = document["models"]?.arrayValue else { throw failed("the catalog data has no list \"models\"") }
        return try models.enumerated().map { index, model in
            guard let name = model["name"]?.stringValue, !name.isEmpty else { throw failed("models[\(index)] has no name") }
            return name
        }
    }

    /// The file path mode reads: `yamlCatalogPath` when it is a configured model source's data
    /// file, symbolic links resolved on both sides.
    private func dataFile(_ source: Source) throws -> String {
        guard let path = source.properties["yamlCatalogPath"]?.stringValue, !path.isEmpty else {
            throw PluginError(status: 422, message: "failed to load models: missing required property: yamlCatalogPath (provide catalogData file or set yamlCatalogPath in config)")
        }
        let allowed = Set(configuredFiles.map(Self.resolved))
        let directories = Set(configuredFiles.map { URL(fileURLWithPath: $0).deletingLastPathComponent().path })
        let candidates = path.hasPrefix("/") ? [path] : directories.sorted().map { $0 + "/" + path }
        if let file = candidates.map(Self.resolved).first(where: allowed.contains) { return file }
        throw PluginError(status: 422, message: "failed to load models: yamlCatalogPath \"\(path)\" is not the data file of a configured model source; upload it as catalogData")
    }

    private static func resolved(_ path: String) -> String {
        URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath().path
    }
}
