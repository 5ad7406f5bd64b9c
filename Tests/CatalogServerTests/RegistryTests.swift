import CCatalogPlugin
import Testing

@testable import CatalogServer
@testable import CatalogTestSupport

@Suite("Plugin registry")
struct RegistryTests {
    /// A descriptor as the host copies it from a plugin, built from C strings here.
    private func descriptor(_ name: String) throws -> PluginDescriptor {
        try name.withCString { name in
            try "v1".withCString { version in
                var raw = catalog_plugin_descriptor()
                raw.struct_size = UInt32(MemoryLayout<catalog_plugin_descriptor>.size)
                raw.abi_major = UInt16(CATALOG_ABI_MAJOR)
                raw.name = name
                raw.version = version
                raw.`init` = { _, _, call in _ = call }
                return try PluginDescriptor(copying: &raw)
            }
        }
    }

    /// Files load concurrently; the listing stays in file-name order, then registration order.
    @Test func listsInFileOrderAndFindsByName() async throws {
        let registry = PluginRegistry()
        #expect(registry.register(HostedPlugin(descriptor: try descriptor("b"), file: "/p/b.so")) == nil)
        #expect(registry.register(HostedPlugin(descriptor: try descriptor("a"), file: "/p/a.so")) == nil)
        #expect(registry.register(HostedPlugin(descriptor: try descriptor("z"), file: "/p/a.so")) == nil)
        #expect(registry.all.map(\.name) == ["a", "z", "b"])
        #expect(registry.plugin(named: "a")?.file == "/p/a.so")
        #expect(registry.plugin(named: "c") == nil)
    }

    @Test func aTakenNameIsRefusedNamingItsHolder() async throws {
        let registry = PluginRegistry()
        _ = registry.register(HostedPlugin(descriptor: try descriptor("mcp"), file: "/p/a.so"))
        let holder = try #require(registry.register(HostedPlugin(descriptor: try descriptor("mcp"), file: "/p/b.so")))
        #expect(holder.file == "/p/a.so")
        #expect(registry.all.map(\.file) == ["/p/a.so"])
    }

    @Test func defaultsFollowTheReference() async throws {
        let plugin = HostedPlugin(descriptor: try descriptor("mcp"), file: "/p/mcp.so")
        #expect(plugin.basePath == "/api/mcp_catalog/v1")
        #expect(plugin.configKey == "mcp")
    }

    @Test(arguments: ["", "Upper", "with space", "slash/name", String(repeating: "a", count: 65)])
    func invalidNamesAreRefused(name: String) {
        #expect(throws: PluginDescriptor.DescriptorError.self) { try descriptor(name) }
    }

    @Test func abiVersionRule() {
        let host = ABIVersion(major: 1, minor: 2)
        #expect(host.accepts(ABIVersion(major: 1, minor: 0)))
        #expect(host.accepts(ABIVersion(major: 1, minor: 2)))
        #expect(!host.accepts(ABIVersion(major: 1, minor: 3)), "a newer minor may use host functions this host lacks")
        #expect(!host.accepts(ABIVersion(major: 2, minor: 0)))
        #expect(!host.accepts(ABIVersion(major: 0, minor: 9)))
    }
}
