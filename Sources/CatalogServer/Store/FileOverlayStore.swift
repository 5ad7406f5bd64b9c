import CatalogJSON
import Foundation
import Synchronization

/// Overlays in one JSON file, `overlays.json` in the state directory, rewritten atomically on
/// every change and held in memory for reads:
///
/// ```json
/// {"formatVersion": 1,
///  "overlays": {"mcp": {"kubernetes-mcp": {"tags": ["prod"], "annotations": {"owner": "sre"},
///                                          "lifecycle": "deprecated", "updatedAt": "2026-11-25T10:00:00Z"}}}}
/// ```
public final class FileOverlayStore: OverlayStore {
    public let path: String
    private let entries: Mutex<[String: [String: EntityOverlay]]>
    private let writer = NSLock()

    struct File: Codable {
        var formatVersion = 1
        var overlays: [String: [String: EntityOverlay]]
    }

    /// Opens the store in `directory`. A file that exists but cannot be read is an error: the
    /// server refuses to start rather than lose the overlays in it.
    public init(directory: String) throws {
        self.path = (directory as NSString).appendingPathComponent("overlays.json")
        guard FileManager.default.fileExists(atPath: path) else {
            entries = Mutex([:])
            return
        }
        do {
            let file = try EntityOverlay.decoder.decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            guard file.formatVersion == 1 else { throw StoreError.corrupt("format version \(file.formatVersion) is not supported") }
            entries = Mutex(file.overlays)
        } catch {
            throw StoreError.corrupt("cannot read the overlay store \(path): \(error)")
        }
    }

    public func overlays(plugin: String) -> [String: EntityOverlay] {
        entries.withLock { $0[plugin] ?? [:] }
    }

    public func update(plugin: String, entity: String, _ change: (inout EntityOverlay) throws -> Void) async throws -> EntityOverlay {
        try writer.withLock { try updateFile(plugin: plugin, entity: entity, change) }
    }

    private func updateFile(plugin: String, entity: String, _ change: (inout EntityOverlay) throws -> Void) throws -> EntityOverlay {
        var updated = entries.withLock { $0 }
        var overlay = updated[plugin]?[entity] ?? EntityOverlay()
        try change(&overlay)
        updated[plugin, default: [:]][entity] = overlay.isEmpty ? nil : overlay
        if updated[plugin]?.isEmpty == true { updated[plugin] = nil }
        try AtomicFile.write(try EntityOverlay.encoder.encode(File(overlays: updated)), to: path)
        entries.withLock { $0 = updated }
        return overlay
    }

    /// Every overlay of every plugin.
    var all: [String: [String: EntityOverlay]] { entries.withLock { $0 } }
}
