import Foundation

/// The directories that files named through the management API may lie in.
///
/// A `*Path` property given through the API is made absolute (a relative path against the
/// first root), normalised (`.`, `..` and repeated `/` removed without asking the file
/// system), checked against the roots, then resolved through symbolic links and checked
/// again. Nothing is opened on the way: a path outside every root is refused before the
/// file system is asked anything about it, and the refusal reads the same whether the file
/// exists or not.
///
/// ```swift
/// let roots = DataRoots(["/etc/catalog", "/var/lib/catalog"])
/// roots.confine("data/models.yaml")    // "/etc/catalog/data/models.yaml"
/// roots.confine("/etc/shadow")         // nil
/// ```
public struct DataRoots: Sendable, Hashable {
    /// The roots, absolute, normalised and with symbolic links resolved, in order.
    public let directories: [String]

    /// - Parameter directories: The allowed directories; relative ones are taken against the
    ///   working directory. Duplicates are dropped.
    public init(_ directories: [String]) {
        var seen: Set<String> = []
        self.directories = directories.map { Self.resolved(Self.normalised(SourcesConfiguration.absolutePath($0))) }
            .filter { seen.insert($0).inserted }
    }

    /// The roots a server uses by default: the directories of its configuration files (the
    /// managed layer in the state directory among them), then `extra`.
    public init(configurationFiles: [String], extra: [String]) {
        self.init(configurationFiles.map { ($0 as NSString).deletingLastPathComponent } + extra)
    }

    /// `path` made absolute and resolved, when it lies inside a root; `nil` otherwise.
    public func confine(_ path: String) -> String? {
        guard let base = directories.first, !path.utf8.contains(0) else { return nil }
        let absolute = Self.normalised(path.hasPrefix("/") ? path : base + "/" + path)
        guard contains(absolute) else { return nil }
        let resolved = Self.resolved(absolute)
        return contains(resolved) ? resolved : nil
    }

    private func contains(_ path: String) -> Bool {
        directories.contains { root in root == "/" || path == root || path.hasPrefix(root + "/") }
    }

    /// `path` with `.`, `..` and empty segments removed, lexically. `..` above `/` stays at `/`.
    static func normalised(_ path: String) -> String {
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch segment {
            case ".": continue
            case "..": _ = segments.popLast()
            default: segments.append(segment)
            }
        }
        return "/" + segments.joined(separator: "/")
    }

    /// `path` with symbolic links resolved in its longest existing prefix; the part that does
    /// not exist yet is kept as it is.
    static func resolved(_ path: String) -> String {
        var existing = path
        var missing: [String] = []
        while existing != "/" {
            if let real = realpath(existing, nil) {
                defer { free(real) }
                let base = String(cString: real)
                return missing.isEmpty ? base : normalised(base + "/" + missing.reversed().joined(separator: "/"))
            }
            missing.append((existing as NSString).lastPathComponent)
            existing = (existing as NSString).deletingLastPathComponent
        }
        return path
    }
}
