import Foundation

/// The server's own state: the managed configuration layer and the entity overlays.
public struct StateStores: Sendable {
    public let configuration: any ConfigStore
    public let overlays: any OverlayStore

    public init(configuration: any ConfigStore, overlays: any OverlayStore) {
        self.configuration = configuration
        self.overlays = overlays
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
