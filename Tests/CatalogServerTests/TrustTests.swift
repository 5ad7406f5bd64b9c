import CatalogServer
import Foundation
import Logging
import Testing
@testable import CatalogTestSupport

@Suite("Plugin trust: permissions and pins")
struct TrustTests {
    private func load(_ fixtures: PluginFixtures, trust: TrustSettings = TrustSettings()) async -> PluginHost {
        let host = PluginHost(
            pluginsDirectory: fixtures.directory.path, configuration: SourcesConfiguration(), deadlines: CallDeadlines(),
            trust: trust, logger: Logger(label: "trust-test"))
        await host.loadAll()
        return host
    }

    @Test func worldWritableFileIsRefused() async throws {
        let fixtures = try PluginFixtures("trust-mode")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("open.so", defines: ["-DFIXTURE_NAME=\"open\""])
        try FileManager.default.setAttributes([.posixPermissions: 0o666], ofItemAtPath: fixtures.directory.appendingPathComponent("open.so").path)
        let host = await load(fixtures)
        #expect(host.registry.all.map(\.name) == ["hello"])
        let failure = try #require(host.failures.first)
        #expect(failure.stage == .permissions)
        #expect(failure.reason.contains("world-writable (mode 666)"), "\(failure.reason)")
    }

    @Test func groupWritableDirectoryRefusesEveryFile() async throws {
        let fixtures = try PluginFixtures("trust-dir")
        try await fixtures.addHelloPlugin()
        try FileManager.default.setAttributes([.posixPermissions: 0o775], ofItemAtPath: fixtures.directory.path)
        let host = await load(fixtures)
        #expect(host.registry.all.isEmpty)
        #expect(host.failures.map(\.stage) == [.permissions])
        #expect(host.failures.first?.reason.contains("plugin directory") == true)
    }

    @Test func pinsRefuseChangedAndUnpinnedFilesWhenStrict() async throws {
        let fixtures = try PluginFixtures("trust-pins")
        try await fixtures.addHelloPlugin()
        try await fixtures.addFixture("changed.so", defines: ["-DFIXTURE_NAME=\"changed\""])
        var pins = try PluginPins.pinning(directory: fixtures.directory.path)
        pins.digests["changed.so"] = String(repeating: "0", count: 64)
        try await fixtures.addFixture("unpinned.so", defines: ["-DFIXTURE_NAME=\"unpinned\""])

        let strict = await load(fixtures, trust: TrustSettings(pins: pins, pinMode: .strict))
        #expect(strict.registry.all.map(\.name) == ["hello"])
        let reasons = Dictionary(uniqueKeysWithValues: strict.failures.map { (($0.file as NSString).lastPathComponent, $0) })
        #expect(reasons["changed.so"]?.stage == .pin)
        #expect(reasons["changed.so"]?.reason.contains("but the pins file expects 0000") == true)
        #expect(reasons["unpinned.so"]?.reason == "unpinned.so is not pinned in the pins file")

        let permissive = await load(fixtures, trust: TrustSettings(pins: pins, pinMode: .permissive))
        #expect(permissive.registry.all.map(\.name) == ["changed", "hello", "unpinned"])
        #expect(permissive.failures.isEmpty)
    }

    @Test func pinCommandWritesASha256sumFile() async throws {
        let fixtures = try PluginFixtures("trust-pin-command")
        try await fixtures.addHelloPlugin()
        let result = try await runCommand([TestPaths.executable, "plugins", "pin", fixtures.directory.path])
        #expect(result.status == 0, "\(result.output)")
        let lock = fixtures.directory.appendingPathComponent("plugins.lock").path
        let pins = try PluginPins.load(path: lock)
        #expect(pins == (try PluginPins.pinning(directory: fixtures.directory.path)))
        let check = try await runCommand(["sha256sum", "-c", "plugins.lock"], in: fixtures.directory)
        #expect(check.status == 0 && check.output.contains("hello-c.so: OK"))
    }

    @Test func malformedPinsFileIsNamed() async throws {
        let directory = try TestPaths.temporaryDirectory("trust-bad-pins")
        let file = directory.appendingPathComponent("plugins.lock")
        try Data("abc  x.so\n".utf8).write(to: file)
        #expect(throws: PinsError.self) { try PluginPins.load(path: file.path) }
    }
}
