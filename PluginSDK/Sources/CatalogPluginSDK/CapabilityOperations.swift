import CCatalogPlugin
import CatalogJSON

/// The capabilities a Swift plugin offers over the ABI, found from the protocols it adopts,
/// and the capability operations that serve them: the one table the ABI bridge and
/// `CatalogPluginSDKTesting` both call.
package struct CapabilityOperations: Sendable {
    package typealias Operation = @Sendable (JSONValue) async throws -> PluginResponse

    /// Capability ids, in the order the descriptor lists them.
    package let capabilities: [String]
    private let operations: [String: Operation]

    /// - Parameter plugin: The plugin whose protocols decide what it offers.
    package init(_ plugin: any CatalogPlugin) {
        var capabilities: [String] = []
        var operations: [String: Operation] = [:]
        if let provider = plugin as? any CapabilitiesV2Provider {
            capabilities.append(CATALOG_CAPABILITY_CAPABILITIES_V2)
            operations[CATALOG_OPERATION_CAPABILITIES_V2_GET] = { _ in .json(try await provider.capabilitiesV2()) }
        }
        if let provider = plugin as? any StatusProvider {
            capabilities.append(CATALOG_CAPABILITY_STATUS)
            operations[CATALOG_OPERATION_STATUS_GET] = { _ in .json(await provider.status()) }
        }
        if let provider = plugin as? any AssetProvider {
            capabilities.append(CATALOG_CAPABILITY_ASSETS)
            operations[CATALOG_OPERATION_ASSETS_GET] = { input in
                guard let name = input["name"]?.stringValue else { throw PluginError.badRequest("assets.get needs a name") }
                return .json(try await provider.asset(named: name))
            }
        }
        if let provider = plugin as? any Reconfigurable {
            capabilities.append(CATALOG_CAPABILITY_CONFIG)
            operations[CATALOG_OPERATION_CONFIG_APPLY] = { input in
                let configuration = try JSONCoding.decode(CatalogConfiguration.self, from: try JSONCoding.encode(input))
                try await provider.reconfigure(configuration)
                return .json(["status": "applied"] as JSONValue)
            }
        }
        if let provider = plugin as? any SourceManaging {
            capabilities.append(CATALOG_CAPABILITY_SOURCES)
            operations[CATALOG_OPERATION_SOURCES_LIST] = { _ in .json(["sources": .array(await provider.sourceInfos())] as JSONValue) }
            operations[CATALOG_OPERATION_SOURCES_VALIDATE] = { input in
                guard let source = input["source"] else { throw PluginError.badRequest("sources.validate needs a source") }
                let configuration = try JSONCoding.decode(SourceConfiguration.self, from: try JSONCoding.encode(source))
                let problems = await provider.validate(source: configuration)
                return .json(["valid": .bool(problems.isEmpty), "errors": try JSONCoding.decode(JSONCoding.encode(problems))] as JSONValue)
            }
        }
        if let provider = plugin as? any Refreshable {
            capabilities.append(CATALOG_CAPABILITY_REFRESH)
            operations[CATALOG_OPERATION_REFRESH_RUN] = { input in .json(try await provider.refresh(sourceID: input["sourceId"]?.stringValue)) }
        }
        if let provider = plugin as? any DiagnosticsProvider {
            capabilities.append(CATALOG_CAPABILITY_DIAGNOSTICS)
            operations[CATALOG_OPERATION_DIAGNOSTICS_GET] = { _ in .json(await provider.diagnostics()) }
        }
        self.capabilities = capabilities
        self.operations = operations
    }

    /// Runs operation `name` on `input` (a JSON document; empty means `{}`): 404 for an
    /// operation the plugin does not offer, 400 for input that is not JSON, a thrown
    /// ``PluginError`` with its status, anything else thrown as a 500.
    ///
    /// - Parameters:
    ///   - name: The operation, e.g. `sources.list`.
    ///   - input: The operation's input as JSON bytes.
    ///   - plugin: The plugin's name, for the message of an unknown operation.
    package func run(_ name: String, input: [UInt8], plugin: String) async -> PluginResponse {
        guard let operation = operations[name] else {
            return .error(404, "operation \"\(name)\" is not offered by plugin \"\(plugin)\"")
        }
        return await PluginResponse.answering {
            let value: JSONValue
            do {
                value = input.isEmpty ? .object([:]) : try JSONCoding.decode(input)
            } catch {
                throw PluginError.badRequest("the input of \(name) is not JSON")
            }
            return try await operation(value)
        }
    }
}
