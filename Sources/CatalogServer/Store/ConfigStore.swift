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
}

/// Where the managed configuration layer lives and how it is versioned.
///
/// ``FileConfigStore`` is the default. Another implementation (a database shared by several
/// replicas) must keep the same guarantees: a change is applied to the current version only,
/// a change based on an older version throws ``StoreError/staleVersion(expected:current:)``
/// and changes nothing, and a reader never sees a half-written version.
public protocol ConfigStore: Sendable {
    /// The file the server merges last. The store keeps it current.
    var path: String { get }
    /// The version in force.
    func current() throws -> ConfigRevision
    /// Applies `change` to the current document and stores the result as a new version.
    ///
    /// - Parameter expectedVersion: the version the change is based on; `nil` applies it to
    ///   whatever is current.
    /// - Returns: the new version, or the current one when `change` changed nothing.
    func update(expectedVersion: String?, _ change: (inout JSONValue) throws -> Void) throws -> ConfigRevision
    /// Stored versions, newest first, at most the store's history limit.
    func revisions() throws -> [ConfigRevision]
}
