import CCatalogPlugin
import CatalogJSON
import Synchronization

/// The host object behind a `catalog_registrar`: collects what one plugin file registers
/// during its `catalog_plugin_register` call.
///
/// Registrars are never freed, so a plugin that keeps the pointer past the call gets a clear
/// refusal instead of a dangling pointer.
final class Registrar: Sendable {
    let file: String

    private struct State {
        var isOpen = true
        var accepted: [PluginDescriptor] = []
        var refusals: [LoadFailure] = []
        var reportedError: String?
    }

    private let state = Mutex(State())

    init(file: String) {
        self.file = file
    }

    /// A pointer for the plugin, valid until process exit.
    func retainedPointer() -> OpaquePointer {
        OpaquePointer(Unmanaged.passRetained(self).toOpaque())
    }

    static func from(_ pointer: OpaquePointer) -> Registrar {
        Unmanaged<Registrar>.fromOpaque(UnsafeRawPointer(pointer)).takeUnretainedValue()
    }

    /// Ends registration; later calls are refused. Returns what was registered.
    func close() -> (accepted: [PluginDescriptor], refusals: [LoadFailure], reportedError: String?) {
        state.withLock { state in
            state.isOpen = false
            return (state.accepted, state.refusals, state.reportedError)
        }
    }

    /// `host->register_plugin`: checks the ABI version, then copies and validates the descriptor.
    func register(_ pointer: UnsafePointer<catalog_plugin_descriptor>?) -> catalog_status {
        guard state.withLock({ $0.isOpen }) else {
            PluginHandle.anonymousLogger.error(
                "\(file): register_plugin called after catalog_plugin_register returned; ignored")
            return CATALOG_STATUS_INVALID_ARGUMENT
        }
        guard let pointer else {
            return refuse(.register, "register_plugin was called with a NULL descriptor", CATALOG_STATUS_INVALID_ARGUMENT)
        }
        let declaredSize = StructPrefix.declaredSize(pointer)
        let frozenHeaderSize = MemoryLayout<UInt32>.size + 2 * MemoryLayout<UInt16>.size
        guard declaredSize >= frozenHeaderSize else {
            return refuse(.register, "descriptor struct_size \(declaredSize) is too small", CATALOG_STATUS_INVALID_ARGUMENT)
        }
        // Only what the plugin declared is read: the frozen prefix, then whatever lies inside struct_size.
        let descriptor = StructPrefix.copy(pointer)
        let pluginVersion = ABIVersion(major: descriptor.abi_major, minor: descriptor.abi_minor)
        guard ABIVersion.host.accepts(pluginVersion) else {
            let plugin = pluginVersion.major == ABIVersion.host.major ? String(pluginString: descriptor.name) : nil
            return refuse(
                .abi,
                "plugin was built for catalog plugin ABI \(pluginVersion), but this host implements ABI \(ABIVersion.host) "
                    + "(it loads plugins built for \(ABIVersion.host.major).0 to \(ABIVersion.host))",
                CATALOG_STATUS_ABI_MISMATCH, plugin: plugin)
        }
        do {
            let descriptor = try PluginDescriptor(copying: pointer)
            if let required = descriptor.minimumHostVersion {
                guard let minimum = SemanticVersion(required) else {
                    return refuse(.abi, "min_host_version \"\(required)\" is not MAJOR.MINOR.PATCH", CATALOG_STATUS_INVALID_ARGUMENT, plugin: descriptor.name)
                }
                guard SemanticVersion(CatalogServerVersion.current)! >= minimum else {
                    return refuse(
                        .abi, "plugin requires catalog-server \(required) or newer; this is \(CatalogServerVersion.current)",
                        CATALOG_STATUS_ABI_MISMATCH, plugin: descriptor.name)
                }
            }
            if let swift = descriptor.swiftVersion, swift != SwiftToolchain.version {
                return refuse(
                    .abi,
                    "plugin was built with Swift \(swift), but this server runs on the Swift \(SwiftToolchain.version) runtime: "
                        + "rebuild it with a Swift \(SwiftToolchain.version) toolchain (catalog-server --version names it)",
                    CATALOG_STATUS_ABI_MISMATCH, plugin: descriptor.name)
            }
            state.withLock { $0.accepted.append(descriptor) }
            return CATALOG_STATUS_OK
        } catch {
            return refuse(.register, error.reason, CATALOG_STATUS_INVALID_ARGUMENT)
        }
    }

    /// `host->report_error`: the reason `catalog_plugin_register` is about to fail.
    func reportError(_ message: String) {
        state.withLock { $0.reportedError = message }
    }

    private func refuse(_ stage: LoadStage, _ reason: String, _ status: catalog_status, plugin: String? = nil) -> catalog_status {
        state.withLock { $0.refusals.append(LoadFailure(file: file, stage: stage, reason: reason, plugin: plugin)) }
        return status
    }
}
