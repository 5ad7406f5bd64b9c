import CatalogJSON
import CatalogServer
import Foundation
import Logging
import Testing
@testable import CatalogTestSupport

@Suite("Loading plugin files, broken ones included")
struct LoaderTests {
    private func load(_ prepare: (PluginFixtures) async throws -> Void) async throws -> PluginHost {
        let fixtures = try PluginFixtures("loader")
        try await prepare(fixtures)
        let host = PluginHost(
            pluginsDirectory: fixtures.directory.path, configuration: SourcesConfiguration(),
            deadlines: CallDeadlines(), logger: Logger(label: "loader-test"))
        await host.loadAll()
        return host
    }

    private func onlyFailure(of host: PluginHost) throws -> LoadFailure {
        #expect(host.failures.count == 1, "\(host.failures)")
        return try #require(host.failures.first)
    }

    @Test func notAnELFFileFailsAtOpen() async throws {
        let host = try await load { try await $0.addNotAnELFFile("notes.so") }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .open)
        #expect(failure.file.hasSuffix("/notes.so"))
        #expect(failure.reason.contains("ELF") || failure.reason.contains("too short"), "\(failure.reason)")
    }

    @Test func missingSymbolFailsAtSymbol() async throws {
        let host = try await load { try await $0.addFixture("nosymbol.so", defines: ["-DFIXTURE_NO_SYMBOL"]) }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .symbol)
        #expect(failure.reason.contains("catalog_plugin_register"))
    }

    @Test func unresolvedDependencyFailsAtOpenNamingTheLibrary() async throws {
        let host = try await load { try await $0.addFixtureWithMissingDependency("needs-dependency.so") }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .open)
        #expect(failure.reason.contains("libcatalog_fixture_dependency.so"), "\(failure.reason)")
    }

    @Test func abiMajorMismatchNamesBothVersions() async throws {
        let host = try await load { try await $0.addFixture("future.so", defines: ["-DFIXTURE_ABI_MAJOR=99"]) }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .abi)
        #expect(failure.reason.contains("ABI 99.") && failure.reason.contains("ABI \(ABIVersion.host)"), "\(failure.reason)")
        #expect(host.registry.all.isEmpty)
    }

    @Test func pluginBuiltForAnOlderMinorStillLoads() async throws {
        let host = try await load { try await $0.addFixture("old.so", defines: ["-DFIXTURE_NAME=\"old\"", "-DFIXTURE_ABI_1_0"]) }
        #expect(host.failures.isEmpty, "\(host.failures)")
        #expect(host.registry.plugin(named: "old")?.isHealthy == true)
    }

    /// Built against today's header targeting an older minor (`CATALOG_TARGET_ABI_MINOR`): 1.0,
    /// and 1.2, the minor before this one — the descriptor has that minor's size and declares
    /// it, and the host serves it.
    @Test func pluginsTargetingOlderMinorsLoad() async throws {
        let fixtures = try PluginFixtures("target-older")
        try await fixtures.addTargetingABI10("old.so")
        try await fixtures.addTargetingABI10("previous.so", defines: ["-DCATALOG_TARGET_ABI_MINOR=2", "-DTARGET_NAME=\"previous\""])
        let server = try await TestServer.start(pluginsDirectory: fixtures.directory)
        let plugins = try await server.get("/api/plugins")
        #expect(plugins.json["failures"] == [], "\(plugins.json)")
        let versions = Dictionary(uniqueKeysWithValues: (plugins.json["plugins"]?.arrayValue ?? []).map {
            ($0["name"]?.stringValue ?? "", $0["abiVersion"]?.stringValue ?? "")
        })
        #expect(versions == ["old": "1.0", "previous": "1.2"])
        #expect(try await server.get("/api/old_catalog/v1/ping").json == ["pong": "1.0"])
        #expect(try await server.get("/api/previous_catalog/v1/ping").status == 200)
        try await server.stop()
    }

    /// A Swift plugin runs on the server's Swift runtime: one built by another Swift release is
    /// refused, naming both; one built by this release, and a plugin that is not Swift, load.
    @Test func aSwiftPluginOfAnotherSwiftReleaseIsRefused() async throws {
        let host = try await load {
            try await $0.addFixture("other.so", defines: ["-DFIXTURE_NAME=\"other\"", "-DFIXTURE_SWIFT_VERSION=\"5.9\""])
            try await $0.addFixture("same.so", defines: ["-DFIXTURE_NAME=\"same\"", "-DFIXTURE_SWIFT_VERSION=\"\(SwiftToolchain.version)\""])
            try await $0.addFixture("plain-c.so", defines: ["-DFIXTURE_NAME=\"plain-c\""])
        }
        #expect(host.registry.all.map(\.name).sorted() == ["plain-c", "same"])
        let refusal = try #require(host.failures.first { $0.plugin == "other" })
        #expect(refusal.stage == .abi)
        #expect(refusal.reason.contains("built with Swift 5.9") && refusal.reason.contains("Swift \(SwiftToolchain.version) runtime"), "\(refusal.reason)")
        #expect(host.registry.plugin(named: "same")?.identity.swiftVersion == SwiftToolchain.version)
    }

    @Test func minimumHostVersionIsChecked() async throws {
        let host = try await load {
            try await $0.addFixture("demanding.so", defines: ["-DFIXTURE_NAME=\"demanding\"", "-DFIXTURE_MIN_HOST_VERSION=\"99.0.0\""])
            try await $0.addFixture("modest.so", defines: ["-DFIXTURE_NAME=\"modest\"", "-DFIXTURE_MIN_HOST_VERSION=\"0.1.0\""])
            try await $0.addFixture("garbled.so", defines: ["-DFIXTURE_NAME=\"garbled\"", "-DFIXTURE_MIN_HOST_VERSION=\"soon\""])
        }
        #expect(host.registry.all.map(\.name) == ["modest"])
        let reasons = Dictionary(uniqueKeysWithValues: host.failures.map { ($0.plugin ?? "", $0) })
        #expect(reasons["demanding"]?.stage == .abi)
        #expect(reasons["demanding"]?.reason == "plugin requires catalog-server 99.0.0 or newer; this is \(CatalogServerVersion.current)")
        #expect(reasons["garbled"]?.reason.contains("is not MAJOR.MINOR.PATCH") == true)
    }

    @Test func registerErrorCarriesThePluginsMessage() async throws {
        let host = try await load { try await $0.addFixture("refuses.so", defines: ["-DFIXTURE_REGISTER_FAILS"]) }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .register)
        #expect(failure.reason.contains("licence file missing"))
    }

    @Test func initFailureKeepsThePluginListedAsUnhealthy() async throws {
        let host = try await load {
            try await $0.addFixture("failing-init.so", defines: ["-DFIXTURE_NAME=\"failing-init\"", "-DFIXTURE_INIT_FAILS"])
        }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .`init`)
        #expect(failure.plugin == "failing-init")
        #expect(failure.reason == "fixture init failed: database unreachable")
        let plugin = try #require(host.registry.plugin(named: "failing-init"))
        #expect(!plugin.isHealthy)
        #expect(plugin.currentState.lastError == failure.reason)
    }

    @Test func anInitFailureWithoutAMessageSaysSo() async throws {
        let host = try await load {
            try await $0.addFixture("silent.so", defines: ["-DFIXTURE_NAME=\"silent\"", "-DFIXTURE_INIT_FAILS_SILENTLY"])
        }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .`init`)
        #expect(failure.reason.hasPrefix("init failed with status ") && failure.reason.hasSuffix(" and gave no message"), "\(failure.reason)")
    }

    @Test func startFailureIsRecordedAtStart() async throws {
        let host = try await load {
            try await $0.addFixture("failing-start.so", defines: ["-DFIXTURE_NAME=\"failing-start\"", "-DFIXTURE_START_FAILS"])
        }
        let failure = try onlyFailure(of: host)
        #expect(failure.stage == .start)
        #expect(failure.reason.contains("port in use"))
    }

    /// Files load concurrently, so "the first file" is not fixed: a name two files register is
    /// served by neither, and a dropped-in file can never answer in another's place.
    @Test func aDuplicateNameIsServedByNeither() async throws {
        let host = try await load {
            try await $0.addFixture("a-first.so", defines: ["-DFIXTURE_NAME=\"twin\""])
            try await $0.addFixture("b-second.so", defines: ["-DFIXTURE_NAME=\"twin\""])
        }
        let failures = host.failures
        #expect(failures.count == 2)
        #expect(failures.allSatisfy { $0.stage == .duplicate && $0.reason.contains("a-first.so") && $0.reason.contains("b-second.so") })
        #expect(Set(failures.map { ($0.file as NSString).lastPathComponent }) == ["a-first.so", "b-second.so"])
        #expect(host.registry.plugin(named: "twin")?.currentState.serving == false)
    }

    @Test func filesLoadInNameOrderAndOnlySharedObjectsCount() async throws {
        let host = try await load {
            try await $0.addFixture("20-beta.so", defines: ["-DFIXTURE_NAME=\"beta\""])
            try await $0.addFixture("10-alpha.so", defines: ["-DFIXTURE_NAME=\"alpha\""])
            try Data("ignored".utf8).write(to: $0.directory.appendingPathComponent("README.txt"))
            let nested = $0.directory.appendingPathComponent("nested")
            try FileManager.default.createDirectory(at: nested, withIntermediateDirectories: true)
            try Data("ignored".utf8).write(to: nested.appendingPathComponent("deep.so"))
        }
        #expect(host.failures.isEmpty, "\(host.failures)")
        #expect(host.registry.all.map(\.name) == ["alpha", "beta"])
        #expect(host.registry.all.allSatisfy { $0.isHealthy })
    }

    @Test func missingDirectoryLoadsNothing() async throws {
        let host = PluginHost(
            pluginsDirectory: "/nonexistent/plugins", configuration: SourcesConfiguration(),
            deadlines: CallDeadlines(), logger: Logger(label: "loader-test"))
        await host.loadAll()
        #expect(host.registry.all.isEmpty)
        #expect(host.failures.isEmpty)
        #expect(host.initialLoadComplete)
    }
}
