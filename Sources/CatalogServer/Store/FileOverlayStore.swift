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
            let file = try Self.decoder.decode(File.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
            guard file.formatVersion == 1 else { throw StoreError.corrupt("format version \(file.formatVersion) is not supported") }
            entries = Mutex(file.overlays)
        } catch {
            throw StoreError.corrupt("cannot read the overlay store \(path): \(error)")
        }
    }

    public func overlays(plugin: String) -> [String: EntityOverlay] {
        entries.withLock { $0[plugin] ?? [:] }
    }

    public func update(plugin: String, entity: String, _ change: (inout EntityOverlay) throws -> Void) throws -> EntityOverlay {
        writer.lock()
        defer { writer.unlock() }
        var updated = entries.withLock { $0 }
        var overlay = updated[plugin]?[entity] ?? EntityOverlay()
        try change(&overlay)
        updated[plugin, default: [:]][entity] = overlay.isEmpty ? nil : overlay
        if updated[plugin]?.isEmpty == true { updated[plugin] = nil }
        try AtomicFile.write(try Self.encoder.encode(File(overlays: updated)), to: path)
        entries.withLock { $0 = updated }
        return overlay
    }

    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }()

    private static let decoder: JSONDecoder = {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }()
}
