import CatalogJSON
import Foundation

/// The merged content of one or more `sources.yaml` files.
///
/// Files merge in order: `apiVersion` and `kind` come from the last file that sets them,
/// catalog sections are united and merged as ``CatalogSection/merge(_:)`` describes.
/// Relative paths in source properties whose name ends in `Path` are resolved against the
/// directory of the file that set them. A source that ends up with `deleted: true` (what the
/// management API writes to delete a source another file defines) is dropped.
public struct SourcesConfiguration: Sendable, Hashable {
    public var apiVersion: String?
    public var kind: String?
    public var catalogs: [String: CatalogSection] = [:]
    /// Host-side settings per plugin name, from the `plugins:` section.
    public var plugins: [String: PluginHostSettings] = [:]
    /// The files, absolute, in merge order.
    public var files: [String] = []
    /// What the files hold that the server ignores, e.g. an unknown key of a catalog section,
    /// naming the file; logged when the configuration is loaded.
    public var warnings: [String] = []

    public init() {}

    /// Reads and merges `paths` in order.
    ///
    /// - Throws: ``YAMLDocumentError`` naming the first file that cannot be read, parsed or
    ///   understood, with the line and column of a syntax error.
    public static func load(paths: [String]) throws -> SourcesConfiguration {
        var merged = SourcesConfiguration()
        for path in paths {
            let file = absolutePath(path)
            let (configuration, rules) = try parse(file: file)
            do {
                try merged.merge(configuration, rules: rules)
            } catch let error as CatalogSection.MergeError {
                throw YAMLDocumentError(path: file, problem: error.problem)
            }
        }
        for key in merged.catalogs.keys {
            merged.catalogs[key]?.sources.removeAll { $0["deleted"]?.boolValue == true }
        }
        if merged.catalogs[UpstreamSources.modelSection] != nil {
            UpstreamSources.applyLegacyExclusions(to: &merged.catalogs[UpstreamSources.modelSection]!)
        }
        return merged
    }

    /// The section for a plugin's configuration key; empty when the files have none.
    public func section(for key: String) -> CatalogSection {
        catalogs[key] ?? CatalogSection()
    }

    mutating func merge(_ later: SourcesConfiguration, rules: CatalogSection.MergeRules = .catalogServer) throws {
        if let apiVersion = later.apiVersion, !apiVersion.isEmpty { self.apiVersion = apiVersion }
        if let kind = later.kind, !kind.isEmpty { self.kind = kind }
        for (key, section) in later.catalogs.sorted(by: { $0.key < $1.key }) {
            try catalogs[key, default: CatalogSection()].merge(section, rules: rules)
        }
        for (name, settings) in later.plugins {
            plugins[name, default: PluginHostSettings()].merge(settings)
        }
        files += later.files
        warnings += later.warnings
    }

    /// Parses one file into a configuration of its own, with the rules it merges by: its
    /// format's. A file in upstream's format (see ``UpstreamSources``) is told apart by its keys.
    static func parse(file: String) throws -> (SourcesConfiguration, CatalogSection.MergeRules) {
        let document = try YAMLDocument.load(path: file)
        func invalid(_ problem: String) -> YAMLDocumentError { YAMLDocumentError(path: file, problem: problem) }

        var configuration = SourcesConfiguration()
        configuration.files = [file]
        if document == .null { return (configuration, .catalogServer) }
        guard let root = document.objectValue?.dictionary else { throw invalid("the document must be a mapping") }
        let upstream = UpstreamSources.isUpstream(root)
        configuration.apiVersion = root["apiVersion"]?.stringValue
        configuration.kind = root["kind"]?.stringValue
        if let plugins = root["plugins"], plugins != .null {
            guard let entries = plugins.objectValue else { throw invalid("plugins must be a mapping of plugin names") }
            for (name, entry) in entries {
                do {
                    configuration.plugins[name] = try PluginHostSettings.parse(entry, location: "plugins.\(name)")
                } catch {
                    throw invalid(error.message)
                }
            }
        }
        if upstream {
            configuration.catalogs = try UpstreamSources.sections(of: root, file: file)
            return (configuration, .upstream)
        }
        guard let catalogs = root["catalogs"], catalogs != .null else { return (configuration, .catalogServer) }
        guard let sections = catalogs.objectValue else { throw invalid("catalogs must be a mapping of catalog sections") }

        let directory = (file as NSString).deletingLastPathComponent
        for (key, value) in sections {
            guard let fields = value.objectValue ?? (value == .null ? [:] : nil) else {
                throw invalid("catalogs.\(key) must be a mapping")
            }
            var section = CatalogSection()
            if let sources = fields["sources"], sources != .null {
                guard let list = sources.arrayValue else { throw invalid("catalogs.\(key).sources must be a list") }
                for (index, source) in list.enumerated() {
                    let location = "catalogs.\(key).sources[\(index)]"
                    guard var object = source.objectValue else { throw invalid("\(location) must be a mapping") }
                    guard let id = object["id"]?.stringValue, !id.isEmpty else {
                        throw invalid("\(location) needs a non-empty string id")
                    }
                    if section.sources.contains(where: { $0["id"]?.stringValue == id }) {
                        throw invalid("\(location): source id \"\(id)\" appears twice in catalogs.\(key)")
                    }
                    if let properties = object["properties"], properties != .null {
                        guard let map = properties.objectValue?.dictionary else { throw invalid("\(location).properties must be a mapping") }
                        object["properties"] = .object(resolvingPaths(in: map, against: directory))
                    }
                    object["origin"] = .string(file)
                    section.sources.append(.object(object))
                }
            }
            section.labels = fields["labels"] ?? .array([])
            if let settings = fields["settings"], settings != .null {
                guard let map = settings.objectValue?.dictionary else { throw invalid("catalogs.\(key).settings must be a mapping") }
                section.settings = map
            }
            for unknown in fields.keys.sorted() where !CatalogSection.keys.contains(unknown) {
                let line = Self.line(of: ["catalogs", key, unknown], inFile: file).map { ":\($0)" } ?? ""
                configuration.warnings.append(
                    "\(file)\(line): catalogs.\(key).\(unknown) is not a key of a catalog section and is ignored; "
                        + "a plugin's own settings go under catalogs.\(key).settings")
            }
            if let queries = fields["namedQueries"], queries != .null {
                guard let map = queries.objectValue?.dictionary else { throw invalid("catalogs.\(key).namedQueries must be a mapping") }
                section.namedQueries = map
            }
            configuration.catalogs[key] = section
        }
        return (configuration, .catalogServer)
    }

    /// `properties` with every relative string property whose name ends in `Path` made absolute against `directory`.
    static func resolvingPaths(in properties: [String: JSONValue], against directory: String) -> [String: JSONValue] {
        properties.reduce(into: [:]) { resolved, property in
            if property.key.hasSuffix("Path"), let path = property.value.stringValue, !path.isEmpty, !path.hasPrefix("/") {
                resolved[property.key] = .string(((directory as NSString).appendingPathComponent(path) as NSString).standardizingPath)
            } else {
                resolved[property.key] = property.value
            }
        }
    }

    static func absolutePath(_ path: String) -> String {
        let absolute = path.hasPrefix("/") ? path : (FileManager.default.currentDirectoryPath as NSString).appendingPathComponent(path)
        return (absolute as NSString).standardizingPath
    }

    /// The line (1-based) of the key at `path` (e.g. `["catalogs", "models", "colour"]`) in the
    /// block-style YAML of `file`, for a message; `nil` where it cannot be told (flow style, the
    /// file unreadable).
    static func line(of path: [String], inFile file: String) -> Int? {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return nil }
        var remaining = path[...]
        var blockIndent = -1  // the indent of the key whose block is searched; -1 for the document
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let indent = line.prefix { $0 == " " }.count
            let rest = line.dropFirst(indent)
            guard !rest.hasPrefix("#"), let colon = rest.firstIndex(of: ":") else { continue }
            if indent <= blockIndent { return nil }  // the block ended without the key
            guard rest[..<colon].trimmingCharacters(in: .whitespaces) == remaining.first else { continue }
            remaining = remaining.dropFirst()
            if remaining.isEmpty { return number + 1 }
            blockIndent = indent
        }
        return nil
    }
}
