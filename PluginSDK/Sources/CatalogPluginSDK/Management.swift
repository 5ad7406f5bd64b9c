import Foundation

/// A plugin whose sources the management API can list and validate. The host stores source
/// changes in its configuration store and hands the plugin its new section through
/// ``Reconfigurable``, so a plugin never writes configuration itself.
public protocol SourceManaging: Reconfigurable {
    /// Every configured source in catalog-server's SourceInfo shape (``SourceState/info``)
    /// (`{id, name, type, enabled, labels, properties, status}`).
    func sourceInfos() async -> [JSONValue]
    /// What is wrong with a source the operator wants to apply, beyond the generic checks
    /// the host makes (id, type and field types); empty when it would load.
    func validate(source: SourceConfiguration) async -> [SourceProblem]
}

/// One reason a source is invalid.
public struct SourceProblem: Codable, Sendable, Equatable {
    /// The field at fault, e.g. `properties.yamlCatalogPath`.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// A plugin that reloads its sources on demand (`POST {basePath}/management/refresh[/{id}]`).
/// The host rate-limits refreshes; the plugin only does them.
public protocol Refreshable: Sendable {
    /// Reloads one source, or every source when `sourceID` is `nil`. An unknown id throws
    /// ``PluginError/notFound(_:)``.
    func refresh(sourceID: String?) async throws -> RefreshResult
}

/// What a refresh did.
public struct RefreshResult: Codable, Sendable {
    public var sourceId: String?
    /// Entities the refreshed source(s) now provide.
    public var entitiesLoaded: Int
    /// Entities that were there before the refresh and are gone.
    public var entitiesRemoved: Int
    /// How long it took, e.g. `"3ms"`.
    public var duration: String
    public var error: String?

    public init(sourceId: String?, entitiesLoaded: Int, entitiesRemoved: Int, duration: Duration, error: String? = nil) {
        self.sourceId = sourceId
        self.entitiesLoaded = entitiesLoaded
        self.entitiesRemoved = entitiesRemoved
        let milliseconds = Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
        self.duration = String(format: "%.1fms", milliseconds)
        self.error = error
    }
}

/// A plugin that explains its state (`GET {basePath}/management/diagnostics`):
/// `{"sources": [SourceInfo…], "lastRefresh": "…", "errors": [{"sourceId", "message"}]}`.
/// The host adds the plugin's name and its own errors.
public protocol DiagnosticsProvider: Sendable {
    func diagnostics() async -> JSONValue
}
