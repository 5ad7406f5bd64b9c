import Foundation

/// The pins file: which plugin file may have which SHA-256. Its format is `sha256sum`'s, one
/// `<hex digest>  <file name>` per line, so `sha256sum -c plugins.lock` checks it too.
public struct PluginPins: Sendable, Equatable {
    /// The default pins file name, inside the plugin directory.
    public static let defaultFileName = "plugins.lock"

    /// File name → lower-case hex SHA-256.
    public var digests: [String: String]

    public init(digests: [String: String]) {
        self.digests = digests
    }

    /// What to do with a plugin file the pins do not vouch for.
    public enum Mode: String, Sendable, CaseIterable {
        /// Refuse it.
        case strict
        /// Load it, with a warning.
        case permissive
    }

    /// Reads a pins file. Blank lines and `#` comments are ignored.
    public static func load(path: String) throws -> PluginPins {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var digests: [String: String] = [:]
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty || trimmed.hasPrefix("#") { continue }
            let parts = trimmed.split(separator: " ", maxSplits: 1, omittingEmptySubsequences: true)
            let name = parts.count == 2 ? parts[1].trimmingCharacters(in: .whitespaces).trimmingPrefix("*") : ""
            guard parts.count == 2, parts[0].count == 64, parts[0].allSatisfy(\.isHexDigit), !name.isEmpty else {
                throw PinsError(description: "\(path):\(number + 1): expected \"<sha256>  <file name>\"")
            }
            digests[String(name)] = parts[0].lowercased()
        }
        return PluginPins(digests: digests)
    }

    /// Pins every `*.so` in `directory` as it is now.
    public static func pinning(directory: String) throws -> PluginPins {
        let names = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasSuffix(".so") }
        var digests: [String: String] = [:]
        for name in names {
            digests[name] = try FileDigest.sha256(of: (directory as NSString).appendingPathComponent(name))
        }
        return PluginPins(digests: digests)
    }

    /// The file's text, sorted by file name.
    public var fileContents: String {
        digests.sorted { $0.key < $1.key }.map { "\($0.value)  \($0.key)\n" }.joined()
    }

    /// Why the file at `path` with SHA-256 `digest` is not vouched for, or `nil` when it is.
    func problem(file path: String, digest: String) -> String? {
        let name = (path as NSString).lastPathComponent
        guard let pinned = digests[name] else { return "\(name) is not pinned in the pins file" }
        guard pinned == digest else { return "\(name) has SHA-256 \(digest), but the pins file expects \(pinned)" }
        return nil
    }
}

/// A pins file that cannot be understood.
public struct PinsError: Error, CustomStringConvertible {
    public var description: String
}
