import Synchronization

/// The plugins' base paths and their responders, swapped atomically as plugins come up.
///
/// A request goes to the mount whose base path is the longest prefix of its path (at a
/// segment boundary); everything else goes to the framework's routes.
///
/// Who may mount where:
/// - a base path is normal: it starts with `/`, has no empty, `.` or `..` segment, and uses
///   only letters, digits and `/ - _ . ~`, so it means the same before and after normalisation;
/// - it neither covers nor lies under one of the framework's ``reservedPaths``;
/// - `/api/{name}_catalog` and everything under it belong to the plugin called `name`: no
///   other plugin may mount there, whatever order the files load in, so a newcomer cannot take
///   the place of an existing catalog by declaring its base path;
/// - otherwise, a base path that overlaps one already claimed is refused (the first claim stays);
///   a plugin claims its base path before it is brought up, so two plugins coming up at once
///   cannot both take one.
final class PluginMounts: Sendable {
    /// Paths the framework serves itself; no plugin base path may cover or sit under them.
    static let reservedPaths = ["/api/plugins", "/healthz", "/livez", "/readyz", "/metrics", "/openapi.yaml", "/console"]

    private struct State {
        /// Longest base path first.
        var mounts: [PluginMount] = []
        /// Base path → the plugin (and file) that claimed it.
        var claims: [String: (plugin: String, file: String)] = [:]
    }

    private let state = Mutex(State())

    /// Claims `basePath` for `plugin` of `file`, before the plugin is brought up, so that two
    /// plugins coming up at once cannot both take it. Returns why it cannot, or `nil` when the
    /// claim is made.
    func claim(_ basePath: String, plugin: String, file: String) -> String? {
        if let problem = Self.syntaxProblem(basePath) { return "base path \"\(basePath)\" \(problem)" }
        for reserved in Self.reservedPaths where Self.overlaps(basePath, reserved) {
            return "base path \"\(basePath)\" overlaps the framework's \(reserved)"
        }
        if let owner = Self.namespaceOwner(of: basePath), owner != plugin {
            return "base path \"\(basePath)\" lies under /api/\(owner)_catalog, which belongs to the plugin named \"\(owner)\""
        }
        return state.withLock { state in
            if let (path, holder) = state.claims.first(where: { Self.overlaps(basePath, $0.key) }) {
                return "base path \"\(basePath)\" overlaps \"\(path)\" of plugin \"\(holder.plugin)\" (\(holder.file))"
            }
            state.claims[basePath] = (plugin, file)
            return nil
        }
    }

    /// Mounts `mount` at its base path, replacing what is mounted there, when its plugin holds
    /// the claim on that path; does nothing otherwise.
    func mount(_ mount: PluginMount) {
        state.withLock { state in
            guard let holder = state.claims[mount.basePath], holder.plugin == mount.plugin.name, holder.file == mount.plugin.file else {
                return
            }
            state.mounts.removeAll { $0.basePath == mount.basePath }
            state.mounts.append(mount)
            state.mounts.sort { $0.basePath.count > $1.basePath.count }
        }
    }

    /// Everything mounted now, longest base path first.
    var all: [PluginMount] { state.withLock { $0.mounts } }

    /// The mount serving `path`.
    func match(_ path: String) -> PluginMount? {
        state.withLock { state in
            // Base paths are ASCII: compared byte for byte.
            state.mounts.first { mount in
                let (path, base) = (path.utf8, mount.basePath.utf8)
                return path.starts(with: base) && (path.count == base.count || path.dropFirst(base.count).first == UInt8(ascii: "/"))
            }
        }
    }

    private static func syntaxProblem(_ path: String) -> String? {
        guard path.hasPrefix("/"), path.count > 1 else { return "must start with '/' and name a path" }
        guard !path.hasSuffix("/") else { return "must not end with '/'" }
        guard !path.contains("//") else { return "must not contain an empty segment" }
        guard !path.split(separator: "/").contains(where: { $0 == "." || $0 == ".." }) else {
            return "must not contain a '.' or '..' segment"
        }
        guard path.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "/-_.~".contains($0)) }) else {
            return "may contain only letters, digits and / - _ . ~"
        }
        return nil
    }

    /// The plugin name `X` when `path` is `/api/X_catalog` or lies under it.
    private static func namespaceOwner(of path: String) -> String? {
        let segments = path.split(separator: "/")
        guard segments.count >= 2, segments[0] == "api", segments[1].hasSuffix("_catalog") else { return nil }
        let owner = segments[1].dropLast("_catalog".count)
        return owner.isEmpty ? nil : String(owner)
    }

    /// Whether one path equals the other or lies under it.
    private static func overlaps(_ first: String, _ second: String) -> Bool {
        first == second || first.hasPrefix(second + "/") || second.hasPrefix(first + "/")
    }
}
