import CCatalogPlugin
import CatalogJSON
import ServiceLifecycle

/// Keeps this server in step with the other replicas: applies a configuration version that
/// another one stored, as a reconcile does, and repeats the refreshes they took, until shutdown.
struct DatabaseFollowing: Service {
    let database: StateDatabase
    let host: PluginHost
    /// How often everything is re-read even without a notification (the reconcile interval).
    let backstop: Duration?

    func run() async throws {
        await cancelWhenGracefulShutdown { [database, host, backstop] in
            await database.follow(backstop: backstop) { change in
                switch change {
                case .configuration:
                    // A plugin still coming up reads the configuration of the start; a change
                    // applied meanwhile would pass it by, so it waits for the initial load.
                    while !host.initialLoadComplete {
                        guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return }
                    }
                    do {
                        try await host.applyStoredConfiguration()
                    } catch {
                        host.logger.error("a configuration version stored by another replica is not in force here: \(error)")
                    }
                case .refresh(let name, let source):
                    guard let plugin = host.registry.plugin(named: name), plugin.currentState.serving, plugin.identity.supports(.refresh) else { return }
                    // On its own: a slow refresh holds up no other change.
                    Task {
                        do {
                            _ = try await plugin.operation(CATALOG_OPERATION_REFRESH_RUN, source.map { ["sourceId": .string($0)] } ?? [:])
                            host.logger.info("refreshed \(source.map { "source \"\($0)\" of " } ?? "")plugin \"\(name)\" as another replica did")
                        } catch {
                            host.logger.warning("repeating another replica's refresh of plugin \"\(name)\" failed: \(error)")
                        }
                    }
                case .overlay, .overlays:
                    break  // the overlay store keeps its own copy
                }
            }
        }
        await database.close()
    }
}
