import CatalogJSON
import Testing

@testable import CatalogServer

/// The management parts of a capabilities document are the host's word, not the plugin's.
@Suite("Management document")
struct ManagementDocumentTests {
    static let document: JSONValue = [
        "entities": [[
            "kind": "Thing",
            "endpoints": ["list": "/api/x_catalog/v1/things", "action": "/api/model_catalog/v1alpha1/management/entities/{name}:action"],
            "actions": ["tag"],
        ]],
        "sources": ["manageable": true],
    ]

    static func identity(_ capabilities: [String]) -> PluginIdentity {
        PluginIdentity(name: "x", version: "v1", description: "", capabilities: capabilities, abiVersion: "1.3")
    }

    /// Without `assets` the host serves no entity actions: a plugin's own `endpoints.action`
    /// (here aimed at another catalog) and `actions` are removed, so no client sends its token there.
    @Test func actionsTheHostDoesNotServeAreRemoved() {
        let advertised = ManagementDocument.advertise(in: Self.document, identity: Self.identity(["capabilities.v2"]), basePath: "/api/x_catalog/v1")
        let entity = advertised["entities"]?.arrayValue?.first
        #expect(entity?["endpoints"]?["action"] == nil && entity?["actions"] == nil, "\(String(describing: entity))")
        #expect(entity?["endpoints"]?["list"] == "/api/x_catalog/v1/things", "the plugin's own endpoints stay")
        #expect(advertised["sources"]?["manageable"] == false && advertised["actions"] == [])
    }

    @Test func actionsTheHostServesPointAtThePluginsOwnManagementAPI() {
        let advertised = ManagementDocument.advertise(in: Self.document, identity: Self.identity(["capabilities.v2", "assets"]), basePath: "/api/x_catalog/v1")
        let entity = advertised["entities"]?.arrayValue?.first
        #expect(entity?["endpoints"]?["action"] == "/api/x_catalog/v1/management/entities/{name}:action")
        #expect(entity?["actions"] == ["tag", "annotate", "deprecate"])
    }
}
