import Foundation
import Synchronization

/// The `catalog-server` binary running as a child process, started and listening.
struct ServerProcess {
    let process: Process
    let output: OutputCollector
    /// The start-up summary line.
    let summary: String
    /// `HOST:PORT` it listens on.
    let address: String

    /// Starts the binary and waits for its start-up summary, or only until it listens when
    /// `untilListening` (the summary comes once every plugin file has a verdict).
    static func start(_ arguments: [String], environment: [String: String] = [:], untilListening: Bool = false) async throws -> ServerProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: TestPaths.executable)
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { _, new in new }
        process.arguments = arguments
        let output = OutputCollector()
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = pipe
        pipe.fileHandleForReading.readabilityHandler = { output.append($0.availableData) }
        try process.run()
        do {
            let marker = untilListening ? "Server started and listening on " : "http://"
            let summary = try await output.waitForLine(containing: untilListening ? marker : "catalog-server started")
            // The address ends the text line, or a JSON string with --log-format json.
            guard let address = summary.range(of: marker).map({ String(summary[$0.upperBound...].prefix { !"\" ,}".contains($0) && !$0.isWhitespace }) }),
                !address.isEmpty
            else {
                throw CommandFailure(description: "no address in \"\(summary)\"")
            }
            return ServerProcess(process: process, output: output, summary: summary, address: address)
        } catch {
            process.terminate()
            throw error
        }
    }
}

/// Collects a child process's output and waits for lines in it.
final class OutputCollector: Sendable {
    private let text = Mutex("")

    /// Everything collected so far.
    var all: String { text.withLock { $0 } }

    func append(_ data: Data) {
        text.withLock { $0 += String(decoding: data, as: UTF8.self) }
    }

    func waitForLine(containing needle: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let line = text.withLock { $0.split(separator: "\n").first { $0.contains(needle) } }
            if let line { return String(line) }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CommandFailure(description: "no line containing \"\(needle)\" in:\n\(text.withLock { $0 })")
    }
}
