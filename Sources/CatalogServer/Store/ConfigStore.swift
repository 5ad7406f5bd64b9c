import CatalogJSON
import Foundation

/// One stored version of the managed configuration layer: the `sources.yaml` document that
/// the management API edits and the server merges after the operator's `--sources` files.
public struct ConfigRevision: Sendable {
    /// The first 16 hex digits of the SHA-256 of the stored file: changes whenever the content does.
    public var version: String
    /// The document, parsed.
    public var document: JSONValue
    /// When this version was stored.
    public var createdAt: Date
    /// The stored text the version was computed from.
    var text: String

    /// The version of a stored text: the first 16 hex digits of its SHA-256.
    static func version(of content: Data) -> String {
        String(FileDigest.sha256(of: content).prefix(16))
    }
}

/// Where the managed configuration layer lives and how it is versioned.
///
/// ``FileConfigStore`` is the default; ``PostgresConfigStore`` shares the layer between
/// replicas. Both keep the same guarantees: a change is applied to the current version only,
/// a change based on an older version throws ``StoreError/staleVersion(expected:current:)``
/// and changes nothing, a change is stored durably before `update` returns, and a reader never
/// sees a half-written version.
public protocol ConfigStore: Sendable {
    /// The file the server merges last. The store keeps it current.
    var path: String { get }
    /// The version in force, as this server last read it.
    func current() async throws -> ConfigRevision
    /// Applies `change` to the current document and stores the result as a new version.
    ///
    /// - Parameters:
    ///   - expectedVersion: the version the change is based on; `nil` applies it to whatever is current.
    ///   - change: edits the document; an error it throws is rethrown and nothing is stored. It
    ///     may run while the store holds its connection or lock: it must not call a store.
    /// - Returns: the new version, or the current one when `change` changed nothing.
    func update(expectedVersion: String?, _ change: (inout JSONValue) throws -> Void) async throws -> ConfigRevision
    /// Stored versions, newest first, at most the store's history limit.
    func revisions() async throws -> [ConfigRevision]
}
