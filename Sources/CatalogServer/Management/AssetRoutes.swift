import CCatalogPlugin
import CatalogJSON
import Foundation
import Hummingbird

/// The asset envelope and the builtin asset actions, whose results the host keeps as overlays.
extension ManagementRoutes {
    func addAssetRoutes(to router: Router<BasicRequestContext>) {
        router.get(RouterPath(prefix + "/entities/**")) { _, context in
            let name = try Self.entityName(context)
            let envelope = try await plugin.operation(CATALOG_OPERATION_ASSETS_GET, ["name": .string(name)])
            let overlay = host.stores?.overlays.overlay(plugin: plugin.name, entity: name) ?? EntityOverlay()
            return Self.json(OverlayReads.asset(envelope, overlay: overlay))
        }
        router.post(RouterPath(prefix + "/entities/**")) { request, context in
            guard let (name, verb) = Self.splitVerb(try Self.entityName(context)), verb == "action" else {
                throw APIError.notFound("no route for POST \(request.uri.path); entity actions are POST …/entities/{name}:action")
            }
            return try await entityAction(name, body: try await Self.jsonBody(request))
        }
        router.get(RouterPath(prefix + "/actions/asset")) { _, _ in
            Self.json(["actions": .array(BuiltinAction.allCases.map(\.definition)), "count": .integer(Int64(BuiltinAction.allCases.count))])
        }
    }

    /// `POST /entities/{name}:action` with `{"action", "dryRun", "params"}`.
    private func entityAction(_ name: String, body: [String: JSONValue]) async throws -> Response {
        let requested = body["action"]?.stringValue ?? ""
        guard let action = BuiltinAction(rawValue: requested) else {
            throw APIError.badRequest(
                "action \"\(requested)\" is not declared for assets of plugin \"\(plugin.name)\"; declared: \(BuiltinAction.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let dryRun = try Self.dryRun(body)
        if let params = body["params"], params.objectValue == nil { throw APIError.badRequest("params must be a mapping") }
        let params = body["params"]?.objectValue?.dictionary ?? [:]
        _ = try await plugin.operation(CATALOG_OPERATION_ASSETS_GET, ["name": .string(name)])

        let message: String
        let overlay: EntityOverlay
        if dryRun {
            var preview = host.stores?.overlays.overlay(plugin: plugin.name, entity: name) ?? EntityOverlay()
            message = try action.apply(params, to: &preview)
            overlay = preview
        } else {
            let stores = try requireStores()
            var applied = ""
            do {
                overlay = try await stores.overlays.update(plugin: plugin.name, entity: name) { overlay in
                    applied = try action.apply(params, to: &overlay)
                    overlay.updatedAt = Date()
                }
                host.metrics.storeWrite(store: "overlays", outcome: "ok")
            } catch let error as APIError {
                throw error  // the action's parameters were refused: nothing was written
            } catch {
                let failure = Self.storeFailure(error, store: "overlay")
                host.metrics.storeWrite(store: "overlays", outcome: Self.storeOutcome(failure))
                throw failure
            }
            message = applied
        }
        return Self.json([
            "action": .string(action.rawValue), "status": dryRun ? "dry-run" : "completed", "message": .string(message),
            "data": ["entity": .string(name), "overlay": overlay.json],
        ])
    }

    private static func entityName(_ context: BasicRequestContext) throws -> String {
        let name = try PathParameter.decoded(context.parameters.getCatchAll().joined(separator: "/"), name: "name")
        guard !name.isEmpty else { throw APIError.badRequest("the entity name is missing") }
        return name
    }
}
