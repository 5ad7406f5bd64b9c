import Foundation

/// Where the tests find the package, the build products and scratch space.
enum TestPaths {
    /// The package root, found from this file's location.
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The build products folder of this test run (`swift test` builds the plugin products too).
    static let buildProducts = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()

    /// The `catalog-server` executable of this build.
    static let executable = buildProducts.appendingPathComponent("catalog-server").path

    /// The reference project's sample data, in `shared/` beside the repository.
    static let referenceData = packageRoot.deletingLastPathComponent().appendingPathComponent("shared/reference/data")

    /// A new empty temporary directory.
    static func temporaryDirectory(_ label: String) throws -> URL {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("catalog-server-tests-\(label)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// Runs a command on a thread of its own (never blocking the concurrency pool) and returns
/// its exit status and combined output.
@discardableResult
func runCommand(_ arguments: [String], in directory: URL? = nil) async throws -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread {
            continuation.resume(with: Result { try runCommandBlocking(arguments, in: directory) })
        }
    }
}

private func runCommandBlocking(_ arguments: [String], in directory: URL?) throws -> (status: Int32, output: String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = pipe
    try process.run()
    let output = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: output, as: UTF8.self))
}

struct CommandFailure: Error, CustomStringConvertible {
    var description: String
}
