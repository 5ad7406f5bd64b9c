import Foundation

/// The server's own executable started as a child for one plugin file — a probe or a worker —
/// with the same configuration files: one place for its arguments and environment.
enum ChildProcess {
    /// A child running `catalog-server plugins <mode> <file> --sources …`, not yet started.
    ///
    /// The child inherits the server's environment — with the `CATALOG_LOG_LEVEL` and
    /// `CATALOG_LOG_FORMAT` the command line settled at start, so it logs as the server does.
    /// The Swift runtime's backtracer is turned off in the child: it would bury a plugin's own
    /// fatal-error message (and take seconds to symbolicate); the crash reason is what the
    /// operator needs.
    ///
    /// - Parameters:
    ///   - executable: The server's executable.
    ///   - mode: `probe` or `worker`.
    ///   - file: The plugin file.
    ///   - configurationFiles: The server's `--sources` files, in order.
    static func make(executable: String, mode: String, file: String, configurationFiles: [String]) -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["plugins", mode, file] + configurationFiles.flatMap { ["--sources", $0] }
        process.environment = ProcessInfo.processInfo.environment.merging(["SWIFT_BACKTRACE": "enable=no"]) { _, new in new }
        return process
    }
}
