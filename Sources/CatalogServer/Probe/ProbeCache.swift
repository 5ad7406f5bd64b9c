import Foundation
import Synchronization

/// Probe verdicts remembered across starts, keyed by what they depend on: the file's SHA-256,
/// the host ABI version and the configuration the plugin was initialised with. A changed file
/// or configuration is probed again; verdicts that may depend on the machine are never stored.
///
/// Probes that ran out of time are remembered apart, by file hash alone, with how many starts
/// in a row they did: such a file is not probed again while the server starts (it would hold
/// its own readiness back for the whole probe timeout each time) but in the background once
/// the server is ready. See ``PluginHost/loadAll()``.
///
/// The cache is one JSON file, written atomically (temporary file and rename).
public final class ProbeCache: Sendable {
    /// A file whose probes ran out of time.
    struct Timeout: Codable, Sendable, Equatable {
        /// Starts in a row at which its probe timed out.
        var count: Int
        var reason: String
    }

    private struct Contents: Codable {
        var verdicts: [String: ProbeVerdict] = [:]
        var timeouts: [String: Timeout] = [:]
    }

    let path: String
    private let contents: Mutex<Contents>

    init(path: String) {
        self.path = path
        let data = FileManager.default.contents(atPath: path)
        let contents = data.flatMap { data in
            (try? JSONDecoder().decode(Contents.self, from: data))
                ?? (try? JSONDecoder().decode([String: ProbeVerdict].self, from: data)).map { Contents(verdicts: $0) }
        }
        self.contents = Mutex(contents ?? Contents())
    }

    static func key(fileDigest: String, configurationDigest: String) -> String {
        "\(fileDigest)|abi-\(ABIVersion.host)|config-\(configurationDigest)"
    }

    func verdict(for key: String) -> ProbeVerdict? {
        contents.withLock { $0.verdicts[key] }
    }

    func store(_ verdict: ProbeVerdict, for key: String) {
        contents.withLock { $0.verdicts[key] = verdict }
    }

    /// How often the probe of the file with this digest has timed out in a row, if it has.
    func timeout(fileDigest: String) -> Timeout? {
        contents.withLock { $0.timeouts[fileDigest] }
    }

    /// Counts one more timed-out probe of the file with this digest.
    func recordTimeout(fileDigest: String, reason: String) {
        contents.withLock { contents in
            contents.timeouts[fileDigest] = Timeout(count: (contents.timeouts[fileDigest]?.count ?? 0) + 1, reason: reason)
        }
    }

    /// Forgets the timeouts of the file with this digest: its probe finished.
    func clearTimeout(fileDigest: String) {
        contents.withLock { _ = $0.timeouts.removeValue(forKey: fileDigest) }
    }

    /// Writes the cache; a failure to write is not fatal (the next start probes again).
    func save() throws {
        let data = try JSONEncoder().encode(contents.withLock { $0 })
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }

    /// Removes the cache file: every verdict and every remembered timeout.
    public static func clear(path: String) throws {
        if FileManager.default.fileExists(atPath: path) { try FileManager.default.removeItem(atPath: path) }
    }
}
