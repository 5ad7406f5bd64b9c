import CatalogJSON
import CatalogServer
import Foundation
import Synchronization
import Testing

/// The `catalog-server` executable as an operator runs it.
@Suite("catalog-server command line")
struct CommandLineTests {
    static let executable = TestPaths.buildProducts.appendingPathComponent("catalog-server").path

    @Test func helpDescribesEveryOption() async throws {
        let result = try await runCommand([Self.executable, "--help"])
        #expect(result.status == 0)
        for option in ["--listen", "--plugins-dir", "--sources", "--strict-readiness", "--log-level", "CATALOG_LISTEN", "CATALOG_PLUGINS_DIR", "CATALOG_SOURCES",
            "--readiness-grace", "--auth-tokens", "--protect-reads", "--allow-unauthenticated-management", "--data-root",
            "--request-head-timeout", "--idle-timeout", "--max-connections", "--max-response-bytes", "CATALOG_AUTH_TOKENS",
        ] {
            #expect(result.output.contains(option), "--help mentions \(option)")
        }
    }

    @Test func refusesAnUnusableTokensFileWithoutShowingTheToken() async throws {
        let directory = try TestPaths.temporaryDirectory("cli-tokens")
        let tokens = directory.appendingPathComponent("tokens")
        try Data("s3cret-short admin\n".utf8).write(to: tokens)
        let result = try await runCommand([Self.executable, "--auth-tokens", tokens.path, "--plugins-dir", directory.path])
        #expect(result.status != 0)
        #expect(result.output.contains("\(tokens.path):1: the token is shorter than 16 characters"), "\(result.output)")
        #expect(!result.output.contains("s3cret"))
        let protectedWithoutTokens = try await runCommand([Self.executable, "--protect-reads", "--plugins-dir", directory.path])
        #expect(protectedWithoutTokens.status != 0)
        #expect(protectedWithoutTokens.output.contains("--protect-reads needs --auth-tokens"))
    }

    @Test func versionNamesServerAndABI() async throws {
        let result = try await runCommand([Self.executable, "--version"])
        #expect(result.status == 0)
        #expect(result.output.contains("catalog-server \(CatalogServerVersion.current) (plugin ABI \(ABIVersion.host))"))
    }

    @Test func refusesToStartOnAMalformedConfigurationFile() async throws {
        let directory = try TestPaths.temporaryDirectory("cli-bad-config")
        let file = directory.appendingPathComponent("sources.yaml")
        try Data("catalogs:\n  models: [\n".utf8).write(to: file)
        let result = try await runCommand([Self.executable, "--sources", file.path, "--plugins-dir", directory.path, "--listen", "127.0.0.1:0"])
        #expect(result.status == 2)
        #expect(result.output.contains("\(file.path):"), "names the file: \(result.output)")
    }

    @Test func refusesAnInvalidListenAddress() async throws {
        let result = try await runCommand([Self.executable, "--listen", "localhost:http"])
        #expect(result.status != 0)
        #expect(result.output.contains("needs a port"))
    }

    /// Starts the binary with the shipped C plugin and a broken file, checks it serves, drops a
    /// new plugin in and sends SIGHUP, then sends SIGTERM and expects a clean exit.
    @Test func servesAndShutsDownOnSIGTERM() async throws {
        let fixtures = try PluginFixtures("cli-run")
        try await fixtures.addHelloPlugin()
        try await fixtures.addNotAnELFFile("broken.so")
        let sources = fixtures.scratch.appendingPathComponent("sources.yaml")
        try Data("apiVersion: catalog/v1alpha1\nkind: CatalogSources\ncatalogs: {}\n".utf8).write(to: sources)

        let server = try await ServerProcess.start(
            ["--reconcile-interval", "0", "--probe-cache", fixtures.scratch.appendingPathComponent("cache.json").path],
            environment: [
                "CATALOG_LISTEN": "127.0.0.1:0", "CATALOG_PLUGINS_DIR": fixtures.directory.path, "CATALOG_SOURCES": sources.path,
                "CATALOG_STATE_DIR": fixtures.scratch.appendingPathComponent("state").path,
            ])
        let (process, output, address) = (server.process, server.output, server.address)
        defer { if process.isRunning { process.terminate() } }
        #expect(server.summary.contains("1 plugin(s) serving, 1 failure(s)"), "\(server.summary)")
        let plugins = try await HTTPResult.fetch(URL(string: "http://\(address)/api/plugins")!)
        #expect(plugins.json["count"] == 1)
        #expect(plugins.json["failures"]?.arrayValue?.first?["stage"] == "open")

        try await fixtures.addFixture("late.so", defines: ["-DFIXTURE_NAME=\"late\""])
        kill(process.processIdentifier, SIGHUP)
        _ = try await output.waitForLine(containing: "plugin \"late\" serving")
        let late = try await HTTPResult.fetch(URL(string: "http://\(address)/api/late_catalog/v1/ping")!)
        #expect(late.json == ["pong": "late"], "SIGHUP loads a plugin dropped into the directory")

        kill(process.processIdentifier, SIGTERM)
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
        _ = try await output.waitForLine(containing: "stopped plugin \"hello\"")
    }
}

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
        process.executableURL = URL(fileURLWithPath: CommandLineTests.executable)
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
            let address = try #require(summary.range(of: marker).map { String(summary[$0.upperBound...]).trimmingCharacters(in: .whitespaces) })
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
