import Foundation

/// The server's own state: the managed configuration layer and the entity overlays, in files
/// of the state directory or, shared by several replicas, in a database.
public struct StateStores: Sendable {
    public let configuration: any ConfigStore
    public let overlays: any OverlayStore
    /// The database the stores live in, when they are shared.
    public let database: StateDatabase?

    public init(configuration: any ConfigStore, overlays: any OverlayStore) {
        self.configuration = configuration
        self.overlays = overlays
        self.database = nil
    }

    /// The stores of a state database.
    ///
    /// - Parameter database: the database, opened.
    public init(database: StateDatabase) {
        self.configuration = database.configuration
        self.overlays = database.overlays
        self.database = database
    }

    /// The file-backed stores in `directory` (created when missing), after deleting what a
    /// writer that was killed mid-write left behind.
    public static func files(in directory: String) throws -> StateStores {
        let configuration = try FileConfigStore(directory: directory)
        AtomicFile.removeLeftovers(in: directory)
        AtomicFile.removeLeftovers(in: configuration.revisionsDirectory)
        return StateStores(
            configuration: configuration,
            overlays: try FileOverlayStore(directory: directory))
    }
}
