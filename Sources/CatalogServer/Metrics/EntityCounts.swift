import CCatalogPlugin
import CatalogJSON

extension PluginHost {
    /// How long a scrape waits for a plugin's source list.
    static let entityCountDeadline = Duration.seconds(2)
    /// The most sources of one plugin that get a series.
    static let entityCountSourceLimit = 1000

    /// Sets `catalog_entities` from what each serving plugin that manages sources reports
    /// (`sources.list`, each source's `status.entityCount`), asked of all plugins at once on
    /// their own threads. A plugin that does not answer within ``entityCountDeadline`` has no
    /// series until it does.
    func updateEntityCounts() async {
        let plugins = registry.all.filter { $0.identity.supports(.sources) && $0.currentState.serving }
        let counts = await withTaskGroup(of: [(plugin: String, source: String, count: Int)].self) { group in
            for plugin in plugins {
                group.addTask {
                    let outcome = await plugin.invoke(CATALOG_OPERATION_SOURCES_LIST, input: Array("{}".utf8), deadline: Self.entityCountDeadline)
                    guard case .responded(let reply) = outcome, reply.status == 200,
                        let sources = (try? JSONCoding.decode(reply.body))?["sources"]?.arrayValue
                    else { return [] }
                    // Series are bounded like every label: the first sources, ids of sane length.
                    return sources.prefix(Self.entityCountSourceLimit).compactMap { source in
                        guard let id = source["id"]?.stringValue, id.utf8.count <= 256,
                            let count = source["status"]?["entityCount"]?.doubleValue, count >= 0, count < 1e15
                        else { return nil }
                        return (plugin.name, id, Int(count))
                    }
                }
            }
            return await group.reduce(into: []) { $0 += $1 }
        }
        metrics.entities(counts)
    }
}
