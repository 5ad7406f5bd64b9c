import CCatalogPlugin
import CatalogJSON
import Foundation
import Synchronization

/// Connects one Swift ``CatalogPlugin`` to the C ABI: its descriptor's `context` points to
/// the bridge, and the descriptor's functions forward to the plugin.
///
/// Bridges are retained for the life of the process, as the ABI requires of a context.
final class PluginBridge: Sendable {
    let plugin: any CatalogPlugin
    let host: HostConnection
    /// The capabilities offered, and the operations that serve them.
    let operations: CapabilityOperations

    private struct State {
        var handlers: [RouteHandler] = []
    }

    private let state = Mutex(State())

    init(plugin: any CatalogPlugin, host: HostConnection) {
        self.plugin = plugin
        self.host = host
        self.operations = CapabilityOperations(plugin)
    }

    static func from(_ context: UnsafeMutableRawPointer?) -> PluginBridge {
        Unmanaged<PluginBridge>.fromOpaque(context!).takeUnretainedValue()
    }

    /// Builds the descriptor and hands it to `host->register_plugin`, which copies it.
    func register(with registrar: OpaquePointer) -> catalog_status {
        var owned: [UnsafeMutablePointer<CChar>] = []
        defer { owned.forEach { free($0) } }
        func cString(_ string: String?) -> UnsafePointer<CChar>? {
            guard let string else { return nil }
            let copy = strdup(string)!
            owned.append(copy)
            return UnsafePointer(copy)
        }
        var capabilityList = operations.capabilities.map(cString) + [nil]

        var descriptor = catalog_plugin_descriptor()
        descriptor.struct_size = UInt32(MemoryLayout<catalog_plugin_descriptor>.size)
        descriptor.abi_major = UInt16(CATALOG_ABI_MAJOR)
        descriptor.abi_minor = UInt16(CATALOG_ABI_MINOR)
        descriptor.name = cString(plugin.name)
        descriptor.version = cString(plugin.version)
        descriptor.description = cString(plugin.description)
        descriptor.base_path = cString((plugin as? any BasePathProvider)?.basePath)
        descriptor.source_key = cString((plugin as? any SourceKeyProvider)?.sourceKey)
        descriptor.sdk_version = cString("CatalogPluginSDK \(PluginExport.sdkVersion)")
        descriptor.min_host_version = cString((plugin as? any HostVersionRequirement)?.minimumHostVersion)
        descriptor.swift_version = cString(SwiftToolchain.version)
        descriptor.context = Unmanaged.passRetained(self).toOpaque()
        descriptor.`init` = { context, parameters, call in PluginBridge.from(context).initialize(parameters, call) }
        descriptor.register_routes = { context, table in PluginBridge.from(context).registerRoutes(table) }
        descriptor.start = { context, call in PluginBridge.from(context).start(call) }
        descriptor.stop = { context, call in PluginBridge.from(context).stop(call) }
        descriptor.healthy = { context in PluginBridge.from(context).plugin.healthy() }
        descriptor.handle_request = { context, request, call in PluginBridge.from(context).handle(request, call) }
        descriptor.invoke = { context, operation, input, length, call in
            PluginBridge.from(context).invoke(operation, input, length, call)
        }
        return capabilityList.withUnsafeMutableBufferPointer { list in
            descriptor.capabilities = UnsafePointer(list.baseAddress)
            return host.api.pointee.register_plugin(registrar, &descriptor)
        }
    }

    // MARK: ABI entry points

    private func initialize(_ parameters: UnsafePointer<catalog_init_params>?, _ call: catalog_call_id) {
        guard let parameters = parameters?.pointee else {
            return host.complete(call, error: PluginError.badRequest("init was called without parameters"))
        }
        let logger = PluginLogger(host: host, handle: parameters.handle)
        let configJSON = parameters.config_json.map { String(cString: $0) } ?? "{}"
        let basePath = parameters.base_path.map { String(cString: $0) } ?? ""
        let configPaths = (0..<parameters.config_path_count).compactMap { index in
            parameters.config_paths?[index].map { String(cString: $0) }
        }
        CallingThreadExecutor.run { [self] in
            do {
                let configuration = try JSONCoding.decode(CatalogConfiguration.self, from: Array(configJSON.utf8))
                try await plugin.initialize(
                    PluginContext(configuration: configuration, basePath: basePath, configPaths: configPaths, logger: logger))
                host.complete(call, error: nil)
            } catch {
                host.complete(call, error: error)
            }
        }
    }

    private func registerRoutes(_ table: OpaquePointer?) -> catalog_status {
        var routes = Routes()
        plugin.registerRoutes(&routes)
        state.withLock { $0.handlers = routes.routes.map(\.handler) }
        for (index, route) in routes.routes.enumerated() {
            let status = route.method.withCString { method in
                route.pattern.withCString { pattern in host.api.pointee.add_route(table, method, pattern, UInt32(index)) }
            }
            guard status == CATALOG_STATUS_OK else { return status }
        }
        return CATALOG_STATUS_OK
    }

    private func start(_ call: catalog_call_id) {
        CallingThreadExecutor.run { [self] in
            do {
                try await plugin.start()
                host.complete(call, error: nil)
            } catch {
                host.complete(call, error: error)
            }
        }
    }

    private func stop(_ call: catalog_call_id) {
        CallingThreadExecutor.run { [self] in
            await plugin.stop()
            host.complete(call, error: nil)
        }
    }

    private func handle(_ request: UnsafePointer<catalog_request>?, _ call: catalog_call_id) {
        guard let request else { return host.respond(call, .error(400, "missing request")) }
        let routeID = Int(request.pointee.route_id)
        let copy = PluginRequest(copying: request)
        let handler = state.withLock { $0.handlers.indices.contains(routeID) ? $0.handlers[routeID] : nil }
        guard let handler else { return host.respond(call, .error(404, "no handler for route \(routeID)")) }
        CallingThreadExecutor.run { [self] in
            await HostConnection.$currentCall.withValue(call) {
                host.respond(call, await PluginResponse.answering { try await handler(copy) })
            }
        }
    }

    private func invoke(_ operation: UnsafePointer<CChar>?, _ input: UnsafePointer<UInt8>?, _ length: Int, _ call: catalog_call_id) {
        let name = operation.map { String(cString: $0) } ?? ""
        let bytes = input.map { Array(UnsafeBufferPointer(start: $0, count: length)) } ?? []
        CallingThreadExecutor.run { [self] in
            await HostConnection.$currentCall.withValue(call) {
                host.respond(call, await operations.run(name, input: bytes, plugin: plugin.name))
            }
        }
    }
}
