import CatalogJSON
import CatalogServer
import Foundation
import Synchronization
import Testing
@testable import CatalogTestSupport

/// The `catalog-server` executable as an operator runs it.
@Suite("catalog-server command line")
struct CommandLineTests {
    @Test func helpDescribesEveryOption() async throws {
        let result = try await runCommand([TestPaths.executable, "--help"])
        #expect(result.status == 0)
        for option in ["--listen", "--plugins-dir", "--sources", "--strict-readiness", "--log-level", "CATALOG_LISTEN", "CATALOG_PLUGINS_DIR", "CATALOG_SOURCES",
            "--readiness-grace", "--log-format", "--access-log-level", "--auth-tokens", "--protect-reads", "--allow-unauthenticated-management", "--data-root",
            "--request-head-timeout", "--idle-timeout", "--max-connections", "--max-response-bytes", "CATALOG_AUTH_TOKENS", "--database-url",
            "CATALOG_DATABASE_URL", "PGHOST",
        ] {
            #expect(result.output.contains(option), "--help mentions \(option)")
        }
    }

    @Test func refusesAnUnusableTokensFileWithoutShowingTheToken() async throws {
        let directory = try TestPaths.temporaryDirectory("cli-tokens")
        let tokens = directory.appendingPathComponent("tokens")
        try Data("s3cret-short admin\n".utf8).write(to: tokens)
        let result = try await runCommand([TestPaths.executable, "--auth-tokens", tokens.path, "--plugins-dir", directory.path])
        #expect(result.status != 0)
        #expect(result.output.contains("\(tokens.path):1: the token is shorter than 16 characters"), "\(result.output)")
        #expect(!result.output.contains("s3cret"))
        let protectedWithoutTokens = try await runCommand([TestPaths.executable, "--protect-reads", "--plugins-dir", directory.path])
        #expect(protectedWithoutTokens.status != 0)
        #expect(protectedWithoutTokens.output.contains("--protect-reads needs --auth-tokens"))
    }

    @Test func versionNamesServerAndABI() async throws {
        let result = try await runCommand([TestPaths.executable, "--version"])
        #expect(result.status == 0)
        #expect(result.output.contains("catalog-server \(CatalogServerVersion.current) (plugin ABI \(ABIVersion.host), Swift \(SwiftToolchain.version))"))
    }

    @Test func refusesToStartOnAMalformedConfigurationFile() async throws {
        let directory = try TestPaths.temporaryDirectory("cli-bad-config")
        let file = directory.appendingPathComponent("sources.yaml")
        try Data("catalogs:\n  models: [\n".utf8).write(to: file)
        let result = try await runCommand([TestPaths.executable, "--sources", file.path, "--plugins-dir", directory.path, "--listen", "127.0.0.1:0"])
        #expect(result.status == 2)
        #expect(result.output.contains("\(file.path):"), "names the file: \(result.output)")
    }

    @Test func refusesAnInvalidListenAddress() async throws {
        let result = try await runCommand([TestPaths.executable, "--listen", "localhost:http"])
        #expect(result.status != 0)
        #expect(result.output.contains("needs a port"))
    }

    @Test func refusesAnUnknownLogLevelInTheEnvironment() async throws {
        let result = try await runCommand(["env", "CATALOG_LOG_LEVEL=loud", TestPaths.executable, "--listen", "127.0.0.1:0"])
        #expect(result.status != 0)
        #expect(result.output.contains("CATALOG_LOG_LEVEL must be trace, debug, info"), "\(result.output)")
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

    /// The real binary serving `fixtures`' plugins with `sources` as its only configuration, a
    /// state directory in the scratch space, no probe and no reconcile interval.
    static func startServer(
        _ fixtures: PluginFixtures, sources: String, arguments: [String] = [], environment: [String: String] = [:]
    ) async throws -> ServerProcess {
        let file = fixtures.scratch.appendingPathComponent("sources.yaml")
        try Data(sources.utf8).write(to: file)
        return try await ServerProcess.start(
            ["--reconcile-interval", "0", "--no-probe"] + arguments,
            environment: [
                "CATALOG_LISTEN": "127.0.0.1:0", "CATALOG_PLUGINS_DIR": fixtures.directory.path, "CATALOG_SOURCES": file.path,
                "CATALOG_STATE_DIR": fixtures.scratch.appendingPathComponent("state").path,
            ].merging(environment) { _, given in given })
    }

    /// `--log-format json` and `--access-log-level`: the access line of a request, as one JSON
    /// object with its request id; the plugin's own line about the request (`host->log_call`)
    /// carries the same id.
    @Test func accessLogLinesCarryTheRequestIDAsJSON() async throws {
        let fixtures = try PluginFixtures("cli-json-log")
        try await fixtures.addHelloPlugin()
        let server = try await Self.startServer(
            fixtures, sources: "apiVersion: catalog/v1alpha1\nkind: CatalogSources\ncatalogs: {}\n",
            arguments: ["--log-format", "json", "--access-log-level", "info", "--log-level", "debug"])
        defer { if server.process.isRunning { server.process.terminate() } }
        let greeting = try await HTTPResult.fetch(
            URL(string: "http://\(server.address)/api/hello_catalog/v1/greetings/ada")!, headers: ["X-Request-Id": "trace-me-7"])
        #expect(greeting.status == 200 && greeting.headers["x-request-id"] == "trace-me-7")
        let line = try await server.output.waitForLine(containing: "greetings/ada 200")
        let entry = try JSONCoding.decode(Data(line.utf8))
        #expect(entry["request_id"] == "trace-me-7" && entry["level"] == "info", "\(line)")
        #expect(entry["message"] == "GET /api/hello_catalog/v1/greetings/ada 200")
        #expect(entry["duration_ms"]?.doubleValue.map { $0 >= 0 && $0 < 60_000 } == true, "milliseconds as a number: \(line)")
        #expect(entry["time"]?.stringValue?.hasSuffix("Z") == true, "UTC, marked: \(line)")
        #expect(entry["hb.request.id"] == nil, "one request id per line")
        let pluginLine = try JSONCoding.decode(Data(try await server.output.waitForLine(containing: "greeted ada").utf8))
        #expect(pluginLine["request_id"] == "trace-me-7" && pluginLine["plugin"] == "hello", "the plugin's line names the request: \(pluginLine)")
        server.process.terminate()
        server.process.waitUntilExit()
    }

    /// A plugin in a worker process logs as the server does (`--log-format json`, the level),
    /// and its line about a request carries the request's id.
    @Test func workerLinesAreJSONWithTheRequestID() async throws {
        let fixtures = try PluginFixtures("cli-worker-log")
        try await fixtures.addHelloPlugin()
        let server = try await Self.startServer(
            fixtures, sources: "catalogs: {}\nplugins:\n  hello: {isolation: process}\n",
            environment: ["CATALOG_LOG_FORMAT": "json", "CATALOG_LOG_LEVEL": "debug"])
        defer { if server.process.isRunning { server.process.terminate() } }
        let greeting = try await HTTPResult.fetch(
            URL(string: "http://\(server.address)/api/hello_catalog/v1/greetings/ada")!, headers: ["X-Request-Id": "via-worker-3"])
        #expect(greeting.status == 200)
        let line = try await server.output.waitForLine(containing: "greeted ada")
        let entry = try JSONCoding.decode(Data(line.utf8))
        #expect(entry["request_id"] == "via-worker-3" && entry["level"] == "debug", "the worker's line is JSON with the id: \(line)")
        #expect(entry["label"] == "catalog.plugin.hello")
        server.process.terminate()
        server.process.waitUntilExit()
    }

    /// `plugins verify` warns where a plugin's capabilities document breaks the published
    /// schema, and still passes the file: a warning, not a refusal.
    @Test func verifyWarnsAboutABrokenCapabilitiesDocument() async throws {
        let fixtures = try PluginFixtures("cli-verify-schema")
        try await fixtures.addFixture("bad-doc.so", defines: ["-DFIXTURE_NAME=\"baddoc\"", "-DFIXTURE_BAD_CAPABILITIES_DOCUMENT"])
        try await fixtures.addHelloPlugin()
        let result = try await runCommand([TestPaths.executable, "plugins", "verify", fixtures.directory.path])
        #expect(result.status == 0, "\(result.output)")
        let warnings = result.output.split(separator: "\n").filter { $0.hasPrefix("warning: bad-doc.so: plugin \"baddoc\"") }
        #expect(warnings.contains { $0.contains("/entities/0/kind: expected string, found integer") }, "\(result.output)")
        #expect(warnings.contains { $0.contains("required member") }, "\(result.output)")
        #expect(!result.output.contains("warning: hello-c.so"), "a plugin without a document has nothing to warn about")
    }
}
