import CCatalogPlugin
import Hummingbird

/// What the host mounts under `{basePath}/management/` for a plugin, each from the ABI
/// capabilities it needs: the one table of management features. A new one is an entry here, its
/// route file, and the capability in the header and the SDK's bridge (docs/architecture.md).
enum ManagementFeature: CaseIterable {
    /// Sources list, validate, apply, enable, delete, revisions, rollback.
    case sources
    /// Refresh all or one source (rate-limited), and the source action `refresh`.
    case refresh
    /// The plugin's diagnostics with the host's own errors.
    case diagnostics
    /// The asset envelope and the builtin asset actions `tag`, `annotate`, `deprecate`.
    case assets

    /// The capabilities a plugin must offer to get the feature: source management lists and
    /// validates (`sources`) and adopts a changed section while running (`config`); the asset
    /// actions need `assets` to know that an entity exists.
    var requiredCapabilities: [String] {
        switch self {
        case .sources: [CATALOG_CAPABILITY_SOURCES, CATALOG_CAPABILITY_CONFIG]
        case .refresh: [CATALOG_CAPABILITY_REFRESH]
        case .diagnostics: [CATALOG_CAPABILITY_DIAGNOSTICS]
        case .assets: [CATALOG_CAPABILITY_ASSETS]
        }
    }

    /// Adds the feature's routes for `routes`' plugin.
    func mount(_ routes: ManagementRoutes, on router: Router<BasicRequestContext>) {
        switch self {
        case .sources: routes.addSourceRoutes(to: router)
        case .refresh: routes.addRefreshRoutes(to: router)
        case .diagnostics: routes.addDiagnosticsRoute(to: router)
        case .assets: routes.addAssetRoutes(to: router)
        }
    }
}

extension PluginIdentity {
    /// Whether the plugin offers every capability `feature` needs.
    func supports(_ feature: ManagementFeature) -> Bool {
        feature.requiredCapabilities.allSatisfy(offers)
    }
}
