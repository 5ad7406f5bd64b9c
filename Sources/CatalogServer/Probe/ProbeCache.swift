import Foundation
import Synchronization

/// Probe verdicts remembered across starts, keyed by what they depend on: the file's SHA-256,
/// the host ABI version and the configuration the plugin was initialised with. A changed file
/// or configuration is probed again; verdicts that may depend on the machine are never stored.
///
/// The cache is one JSON file, written atomically (temporary file and rename).
public final class ProbeCache: Sendable {
    let path: String
    private let entries: Mutex<[String: ProbeVerdict]>

    init(path: String) {
        self.path = path
        let data = FileManager.default.contents(atPath: path)
        self.entries = Mutex(data.flatMap { try? JSONDecoder().decode([String: ProbeVerdict].self, from: $0) } ?? [:])
    }

    static func key(fileDigest: String, configurationDigest: String) -> String {
        "\(fileDigest)|abi-\(ABIVersion.host)|config-\(configurationDigest)"
    }

    func verdict(for key: String) -> ProbeVerdict? {
        entries.withLock { $0[key] }
    }

    func store(_ verdict: ProbeVerdict, for key: String) {
        entries.withLock { $0[key] = verdict }
    }

    /// Writes the cache; a failure to write is not fatal (the next start probes again).
    func save() throws {
        let data = try JSONEncoder().encode(entries.withLock { $0 })
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the cache file.
    public static func clear(path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}
