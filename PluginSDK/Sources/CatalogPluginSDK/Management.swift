import Foundation

/// A plugin whose sources the management API can list and validate. The host stores source
/// changes in its configuration store and hands the plugin its new section through
/// ``Reconfigurable``, so a plugin never writes configuration itself.
///
/// Offering it (with ``Reconfigurable``) makes the host mount the management API's source
/// routes under `{basePath}/management/`.
public protocol SourceManaging: Reconfigurable {
    /// Every configured source in catalog-server's SourceInfo shape (``SourceState/info``)
    /// (`{id, name, type, enabled, labels, properties, status}`); operation `sources.list`.
    ///
    /// - Returns: One SourceInfo object per configured source, in order.
    func sourceInfos() async -> [JSONValue]
    /// What is wrong with a source the operator wants to apply, beyond the generic checks
    /// the host makes (id, type and field types); empty when it would load. Operation
    /// `sources.validate`.
    ///
    /// - Parameter source: The source as the operator would apply it.
    /// - Returns: The problems found; empty when the source would load.
    func validate(source: SourceConfiguration) async -> [SourceProblem]
}

/// One reason a source is invalid.
public struct SourceProblem: Codable, Sendable, Equatable {
    /// The field at fault, e.g. `properties.yamlCatalogPath`.
    public var field: String
    /// What is wrong with it.
    public var message: String

    /// A problem with `field`.
    ///
    /// - Parameters:
    ///   - field: The field at fault, e.g. `properties.yamlCatalogPath`.
    ///   - message: What is wrong with it.
    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

/// A plugin that reloads its sources on demand (`POST {basePath}/management/refresh[/{id}]`).
/// The host rate-limits refreshes; the plugin only does them.
public protocol Refreshable: Sendable {
    /// Reloads one source, or every source when `sourceID` is `nil`. An unknown id throws
    /// ``PluginError/notFound(_:)``. Operation `refresh.run`.
    ///
    /// - Parameter sourceID: The source to reload, or `nil` for all of them.
    /// - Returns: What the refresh loaded and removed, and how long it took.
    /// - Throws: ``PluginError/notFound(_:)`` for an unknown source id.
    func refresh(sourceID: String?) async throws -> RefreshResult
}

/// What a refresh did.
public struct RefreshResult: Codable, Sendable {
    /// The refreshed source, or `nil` when every source was refreshed.
    public var sourceId: String?
    /// Entities the refreshed source(s) now provide.
    public var entitiesLoaded: Int
    /// Entities that were there before the refresh and are gone.
    public var entitiesRemoved: Int
    /// How long it took, in milliseconds with one decimal, e.g. `"3.2ms"`.
    public var duration: String
    /// The errors of the refreshed source(s), joined by `; `, or `nil` when they loaded.
    public var error: String?

    /// A refresh's outcome.
    ///
    /// - Parameters:
    ///   - sourceId: The refreshed source, or `nil` for all.
    ///   - entitiesLoaded: Entities the refreshed source(s) now provide.
    ///   - entitiesRemoved: Entities that were there before and are gone.
    ///   - duration: How long it took; written as milliseconds, e.g. `"3.2ms"`.
    ///   - error: The errors of the refreshed source(s), if any.
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
    /// The diagnostics document (operation `diagnostics.get`).
    ///
    /// - Returns: `{"sources": [SourceInfo…], "lastRefresh": "…", "errors": [{"sourceId", "message"}]}`.
    func diagnostics() async -> JSONValue
}
