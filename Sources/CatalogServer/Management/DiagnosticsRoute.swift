import CCatalogPlugin
import CatalogJSON
import Hummingbird

/// Diagnostics: the plugin's own document, with the host's errors for the plugin added (a failed
/// configuration reload, degraded deadlines) and the configuration version in force.
extension ManagementRoutes {
    func addDiagnosticsRoute(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(prefix + "/diagnostics")) { _, _ in
            var document = try await plugin.operation(CATALOG_OPERATION_DIAGNOSTICS_GET).objectValue ?? [:]
            document["pluginName"] = .string(plugin.name)
            var errors = document["errors"]?.arrayValue ?? []
            if let problem = host.configurationError {
                errors.append(["component": "configuration", "message": .string("the last configuration reload failed, the previous configuration stays in force: \(problem)")])
            }
            if let degraded = plugin.currentState.degradedReason {
                errors.append(["component": "deadlines", "message": .string(degraded)])
            }
            document["errors"] = .array(errors)
            if let version = try? await host.stores?.configuration.current().version {
                document["configurationVersion"] = .string(version)
            }
            return Self.json(.object(document))
        }
    }
}
