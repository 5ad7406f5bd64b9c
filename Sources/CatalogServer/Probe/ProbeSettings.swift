import Foundation

/// How plugin files are probed in a child process before they are loaded into the server.
public struct ProbeSettings: Sendable {
    /// The executable to run as `EXECUTABLE plugins probe FILE --sources …`: the server itself.
    public var executable: String
    /// How long one probe may take before it is killed and the file quarantined.
    public var timeout: Duration
    /// Where verdicts are cached; `nil` disables the cache.
    public var cachePath: String?
    /// How many probes run at once.
    public var parallelism: Int

    public init(executable: String, timeout: Duration = .seconds(30), cachePath: String?, parallelism: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.executable = executable
        self.timeout = timeout
        self.cachePath = cachePath
        self.parallelism = max(1, parallelism)
    }

    /// `$XDG_CACHE_HOME/catalog-server/probe-cache.json`, else `~/.cache/catalog-server/probe-cache.json`.
    public static var defaultCachePath: String {
        let environment = ProcessInfo.processInfo.environment
        let base = environment["XDG_CACHE_HOME"].flatMap { $0.isEmpty ? nil : $0 }
            ?? (NSHomeDirectory() as NSString).appendingPathComponent(".cache")
        return (base as NSString).appendingPathComponent("catalog-server/probe-cache.json")
    }
}
