import Foundation

/// Copies a state directory of the file stores into a state database, so that a single
/// server can move to replicas (`catalog-server state import`).
public enum StateImport {
    /// What an import copied.
    public struct Summary: Sendable, CustomStringConvertible {
        /// Versions of the managed layer copied; 0 when the database already had them.
        public var versions: Int
        /// Overlays copied.
        public var overlaysCopied: Int
        /// Overlays left alone because their entity already had one in the database.
        public var overlaysKept: Int

        /// A line for the operator.
        public var description: String {
            "\(versions) version(s) of the managed sources layer, \(overlaysCopied) overlay(s) copied, \(overlaysKept) already there"
        }
    }

    /// Copies the managed layer's history and the overlays of `stateDirectory` into `database`.
    ///
    /// - Parameters:
    ///   - stateDirectory: a state directory of the file stores (`sources.yaml`, `revisions/`, `overlays.json`).
    ///   - database: the database, opened.
    /// - Throws: ``StoreError`` when the directory cannot be read, the database cannot be
    ///   reached, or it already holds other changes to the layer.
    public static func copy(stateDirectory: String, into database: StateDatabase) async throws -> Summary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: stateDirectory, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw StoreError.corrupt("\(stateDirectory) is not a directory")
        }
        try await database.catchUp()
        var history: [(content: String, createdAt: Date)] = []
        if FileManager.default.fileExists(atPath: (stateDirectory as NSString).appendingPathComponent("sources.yaml")) {
            let files = try FileConfigStore(directory: stateDirectory)
            var revisions = Array(try files.revisionsOnFile().reversed())
            let current = try await files.current()
            if revisions.last?.version != current.version { revisions.append(current) }
            history = revisions.map { ($0.text, $0.createdAt) }
        }
        let overlays = try FileOverlayStore(directory: stateDirectory).all
        let versions = try await database.configuration.importHistory(history)
        let (copied, kept) = try await database.overlays.importOverlays(overlays)
        return Summary(versions: versions, overlaysCopied: copied, overlaysKept: kept)
    }
}
