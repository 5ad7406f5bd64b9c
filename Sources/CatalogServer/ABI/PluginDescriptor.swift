import CCatalogPlugin
import Foundation

/// The host's copy of one `catalog_plugin_descriptor`: the plugin's identity as Swift values
/// and its function table, called only through the methods below.
///
/// The copy is taken inside `register_plugin`, so the plugin may free its descriptor afterwards.
struct PluginDescriptor: PluginCalls, @unchecked Sendable {
    let name: String
    let version: String
    let description: String
    let basePath: String?
    let sourceKey: String?
    let capabilities: [String]
    let abiVersion: ABIVersion
    /// What built the plugin (ABI 1.1), e.g. `CatalogPluginSDK 0.1.0`.
    let sdkVersion: String?
    /// The oldest host version the plugin works with (ABI 1.1).
    let minimumHostVersion: String?
    /// For a Swift plugin, the compiler's `MAJOR.MINOR` that built it (ABI 1.3).
    let swiftVersion: String?

    /// The plugin's function table and context, as the plugin declared them. The context and
    /// code stay valid until process exit (the host never unloads an image).
    private let functions: catalog_plugin_descriptor

    /// Copies what lies inside the size the plugin declared; newer members read as zero.
    init(copying pointer: UnsafePointer<catalog_plugin_descriptor>) throws(DescriptorError) {
        let functions = StructPrefix.copy(pointer)
        self.functions = functions
        self.abiVersion = ABIVersion(major: functions.abi_major, minor: functions.abi_minor)

        guard let name = String(pluginString: functions.name), Self.isValidName(name) else {
            throw .invalid("plugin name must be 1–64 characters of a-z, 0-9, '_' or '-'"
                + (String(pluginString: functions.name).map { ", got \"\($0)\"" } ?? ", got NULL"))
        }
        guard let version = String(pluginString: functions.version), Self.isValidVersion(version) else {
            throw .invalid("plugin \"\(name)\" must declare a version of 1–64 ASCII letters, digits, '.', '_' or '-' "
                + "that starts with a letter or digit")
        }
        guard functions.`init` != nil else {
            throw .invalid("plugin \"\(name)\" has no init function")
        }
        if functions.register_routes != nil && functions.handle_request == nil {
            throw .invalid("plugin \"\(name)\" declares routes but no handle_request function")
        }
        self.name = name
        self.version = version
        self.description = String(pluginString: functions.description) ?? ""
        self.basePath = String(pluginString: functions.base_path).flatMap { $0.isEmpty ? nil : $0 }
        self.sourceKey = String(pluginString: functions.source_key).flatMap { $0.isEmpty ? nil : $0 }
        self.capabilities = Self.readCapabilities(functions.capabilities)
        self.sdkVersion = String(pluginString: functions.sdk_version).flatMap { $0.isEmpty ? nil : $0 }
        self.minimumHostVersion = String(pluginString: functions.min_host_version).flatMap { $0.isEmpty ? nil : $0 }
        self.swiftVersion = String(pluginString: functions.swift_version).flatMap { $0.isEmpty ? nil : $0 }
        if !capabilities.isEmpty && functions.invoke == nil {
            throw .invalid("plugin \"\(name)\" lists capabilities but no invoke function")
        }
    }

    /// Why a descriptor was refused.
    struct DescriptorError: Error {
        let reason: String
        static func invalid(_ reason: String) -> Self { Self(reason: reason) }
    }

    private static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64
            && name.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" }
    }

    /// The version is a path segment of the default base path: never `.` or `..`.
    private static func isValidVersion(_ version: String) -> Bool {
        guard let first = version.unicodeScalars.first, version.count <= 64,
            ("a"..."z").contains(first) || ("A"..."Z").contains(first) || ("0"..."9").contains(first)
        else { return false }
        return version.unicodeScalars.allSatisfy {
            $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0))
        }
    }

    private static func readCapabilities(_ list: UnsafePointer<UnsafePointer<CChar>?>?) -> [String] {
        guard let list else { return [] }
        var capabilities: [String] = []
        var index = 0
        while let entry = list[index], index < 256 {
            if let capability = String(pluginString: entry), !capability.isEmpty { capabilities.append(capability) }
            index += 1
        }
        return capabilities
    }

    // MARK: Calls into the plugin

    /// The declared identity, as the rest of the host sees it.
    var identity: PluginIdentity {
        PluginIdentity(
            name: name, version: version, description: description, basePath: basePath, sourceKey: sourceKey,
            capabilities: capabilities, abiVersion: abiVersion.description, sdkVersion: sdkVersion, swiftVersion: swiftVersion)
    }

    /// Calls `init`; the plugin answers through `host->complete`.
    func initialize(_ parameters: InitParameters, handle: OpaquePointer, deadline: Duration) async -> PluginCallOutcome {
        let initialize = functions.`init`!
        let context = SendablePointer(functions.context)
        let handle = SendablePointer(handle)
        return await PendingCalls.shared.perform(deadline: deadline) { call in
            Thread.detachNewThread {
                let storage = CStringStorage()
                var params = catalog_init_params()
                params.struct_size = UInt32(MemoryLayout<catalog_init_params>.size)
                params.handle = handle.value
                params.config_json = storage.string(parameters.configJSON)
                params.base_path = storage.string(parameters.basePath)
                params.config_paths = storage.stringArray(parameters.configPaths)
                params.config_path_count = parameters.configPaths.count
                withExtendedLifetime(storage) { initialize(context.value, &params, call) }
            }
        }
    }

    /// Calls `register_routes` with a host route table; `nil` when the plugin has no routes.
    func registerRoutes(into table: OpaquePointer) -> catalog_status? {
        functions.register_routes.map { $0(functions.context, table) }
    }

    /// Calls `start`; a plugin without one is started at once.
    func start(deadline: Duration) async -> PluginCallOutcome {
        await lifecycleCall(functions.start, deadline: deadline)
    }

    /// Calls `stop`; a plugin without one is stopped at once.
    func stop(deadline: Duration) async -> PluginCallOutcome {
        await lifecycleCall(functions.stop, deadline: deadline)
    }

    private func lifecycleCall(
        _ function: (@convention(c) (UnsafeMutableRawPointer?, catalog_call_id) -> Void)?,
        deadline: Duration
    ) async -> PluginCallOutcome {
        guard let function else { return .completed(status: CATALOG_STATUS_OK, message: nil) }
        let context = SendablePointer(functions.context)
        return await PendingCalls.shared.perform(deadline: deadline) { call in
            Thread.detachNewThread { function(context.value, call) }
        }
    }

    /// The plugin's own health verdict; a plugin without `healthy` is healthy. It runs plugin
    /// code on the caller's thread: only ``PluginHealth`` calls it, on a thread of its own.
    func healthy() -> Bool {
        functions.healthy.map { $0(functions.context) } ?? true
    }

    /// Hands one request to `handle_request` on one of `threads`. The request's
    /// storage lives until the call returns.
    func handle(
        _ request: ForwardedRequest, deadline: Duration, requestID: String?, on threads: PluginThreads,
        answer: @escaping @Sendable (PluginCallOutcome) -> Void
    ) {
        guard let handle = functions.handle_request else {
            return answer(.responded(.error(500, "plugin has no request handler")))
        }
        let context = SendablePointer(functions.context)
        PendingCalls.shared.start(deadline: deadline, requestID: requestID, { call in
            threads.run { request.withCRequest { handle(context.value, $0, call) } }
        }, answer: answer)
    }

    /// Runs a capability operation with a JSON input on one of `threads`, like a request.
    func invoke(_ operation: String, input: [UInt8], deadline: Duration, on threads: PluginThreads) async -> PluginCallOutcome {
        guard let invoke = functions.invoke else {
            return .responded(.error(501, "plugin offers no capabilities"))
        }
        let context = SendablePointer(functions.context)
        return await PendingCalls.shared.perform(deadline: deadline) { call in
            threads.run {
                input.withUnsafeBufferPointer { bytes in
                    operation.withCString { invoke(context.value, $0, bytes.baseAddress, bytes.count, call) }
                }
            }
        }
    }
}
