import CCatalogPlugin
import CatalogJSON
import Synchronization

/// Keeps `catalog_entities` current for `/metrics` without letting scrapes drive the plugins:
/// the plugins are asked at most once per ``interval``, by one refresh at a time; a scrape that
/// comes while a refresh runs waits for it, and one that comes sooner is served the figures
/// already set.
final class EntityCounts: Sendable {
    /// How often the plugins are asked at most.
    static let interval = Duration.seconds(10)
    /// How long a refresh waits for one plugin's source list.
    static let deadline = Duration.seconds(2)
    /// The most sources of one plugin that get a series.
    static let sourceLimit = 1000

    private struct State {
        var running: Task<Void, Never>?
        var refreshed: ContinuousClock.Instant?
    }

    private let state = Mutex(State())

    /// Refreshes the gauges when they are older than ``interval``, or waits for the refresh
    /// under way.
    ///
    /// - Parameter host: Whose plugins to ask, and whose metrics to set.
    func update(_ host: PluginHost) async {
        let refresh = state.withLock { state -> Task<Void, Never>? in
            if let running = state.running { return running }
            if let refreshed = state.refreshed, ContinuousClock.now - refreshed < Self.interval { return nil }
            let task = Task { [self] in
                // Calls made for the scrape belong to no client's request.
                await PendingCalls.$requestID.withValue(nil) { await Self.refresh(host) }
                self.state.withLock {
                    $0.running = nil
                    $0.refreshed = .now
                }
            }
            state.running = task
            return task
        }
        await refresh?.value
    }

    /// Asks every serving plugin that manages sources for its source list (`sources.list`, each
    /// source's `status.entityCount`), all at once on their own threads; a plugin that does not
    /// answer within ``deadline`` has no series until it does.
    private static func refresh(_ host: PluginHost) async {
        let plugins = host.registry.all.filter { $0.identity.supports(.sources) && $0.currentState.serving }
        let counts = await withTaskGroup(of: [(plugin: String, source: String, count: Int)].self) { group in
            for plugin in plugins {
                group.addTask {
                    let outcome = await plugin.invoke(CATALOG_OPERATION_SOURCES_LIST, input: Array("{}".utf8), deadline: deadline)
                    guard case .responded(let reply) = outcome, reply.status == 200,
                        let sources = (try? JSONCoding.decode(reply.bodyBytes))?["sources"]?.arrayValue
                    else { return [] }
                    // Series are bounded like every label: the first sources, ids of sane length.
                    return sources.prefix(sourceLimit).compactMap { source in
                        guard let id = source["id"]?.stringValue, id.utf8.count <= 256,
                            let count = source["status"]?["entityCount"]?.doubleValue, count >= 0, count < 1e15
                        else { return nil }
                        return (plugin.name, id, Int(count))
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        host.metrics.entities(counts)
    }
}
