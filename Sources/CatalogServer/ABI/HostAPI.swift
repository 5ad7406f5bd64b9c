import CCatalogPlugin
import Logging
import NIOCore

/// The `catalog_host_api` table handed to every plugin: plain C functions that reach host
/// objects only through the opaque handles and call ids the host gave out.
///
/// None of these functions is actor-isolated: plugins call them from any thread.
enum HostAPI {
    /// The table. Allocated once and never freed: plugins may keep the pointer until exit.
    static let table = HostAPITable()
}

/// Owner of the one `catalog_host_api` table.
struct HostAPITable: @unchecked Sendable {
    let pointer: UnsafePointer<catalog_host_api>

    fileprivate init() {
        let table = UnsafeMutablePointer<catalog_host_api>.allocate(capacity: 1)
        table.initialize(to: catalog_host_api())
        table.pointee.struct_size = UInt32(MemoryLayout<catalog_host_api>.size)
        table.pointee.abi_major = ABIVersion.host.major
        table.pointee.abi_minor = ABIVersion.host.minor
        table.pointee.register_plugin = { registrar, descriptor in
            guard let registrar else { return CATALOG_STATUS_INVALID_ARGUMENT }
            return Registrar.from(registrar).register(descriptor)
        }
        table.pointee.report_error = { registrar, message in
            guard let registrar else { return }
            Registrar.from(registrar).reportError(String(pluginString: message) ?? "(no message)")
        }
        table.pointee.log = { handle, level, message in
            PluginHandle.log(handle, level: level, String(pluginString: message) ?? "", requestID: nil)
        }
        table.pointee.log_call = { handle, call, level, message in
            PluginHandle.log(handle, level: level, String(pluginString: message) ?? "", requestID: PendingCalls.shared.requestID(of: call))
        }
        table.pointee.add_route = { table, method, pattern, routeID in
            guard let table else { return CATALOG_STATUS_INVALID_ARGUMENT }
            return RouteTable.from(table).add(
                method: String(pluginString: method), pattern: String(pluginString: pattern), routeID: routeID)
        }
        table.pointee.complete = { call, status, message in
            PendingCalls.shared.finish(call, with: .completed(status: status, message: String(pluginString: message)))
        }
        table.pointee.respond = { call, response in
            guard let response else {
                PendingCalls.shared.finish(call, with: .responded(.error(502, "the plugin answered with a NULL response")))
                return
            }
            PendingCalls.shared.finish(call, with: .responded(PluginReply(copying: response)))
        }
        self.pointer = UnsafePointer(table)
    }
}

extension PluginReply {
    /// Copies a plugin's response out of plugin memory, reading only the members inside the
    /// size the plugin declared.
    /// A body over ``PluginReply/maximumBodySize`` is not copied: the answer becomes a 502
    /// that says so.
    init(copying pointer: UnsafePointer<catalog_response>) {
        let response = StructPrefix.copy(pointer)
        if let refusal = PluginReply.oversized(response.body_length) {
            self = refusal
            return
        }
        let body = response.body.map { ByteBuffer(bytes: UnsafeBufferPointer(start: $0, count: response.body_length)) } ?? ByteBuffer()
        self.init(
            status: Int(response.status),
            contentType: String(pluginString: response.content_type) ?? "application/json",
            headers: pluginPairs(response.headers, count: response.header_count).map { (name: $0.0, value: $0.1) },
            body: body)
    }
}

extension Logger.Level {
    /// The host log level for an ABI log level; unknown levels log as `info`.
    init(catalogLevel level: catalog_log_level) {
        switch level {
        case CATALOG_LOG_TRACE: self = .trace
        case CATALOG_LOG_DEBUG: self = .debug
        case CATALOG_LOG_NOTICE: self = .notice
        case CATALOG_LOG_WARNING: self = .warning
        case CATALOG_LOG_ERROR: self = .error
        case CATALOG_LOG_CRITICAL: self = .critical
        default: self = .info
        }
    }
}
