import CatalogJSON
import CatalogServer
import Foundation
import Testing
@testable import CatalogTestSupport

/// The management API under `{basePath}/management/`, through HTTP, against the MCP catalog.
@Suite("Management API")
struct ManagementTests {
    static let base = "/api/mcp_catalog/v1alpha1"
    static let management = base + "/management"

    typealias Setup = ManagedCatalogSetup

    static func names(_ result: HTTPResult) -> [String] {
        result.json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
    }

    static func etag(_ result: HTTPResult) -> String {
        (result.headers["etag"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    /// The issue's "done when": add a source, see its entities, tag one, disable the source,
    /// roll the change back, restart and find tags and configuration as they were left.
    @Test func operatorFlowSurvivesARestart() async throws {
        let setup = try await Setup("management-flow")
        var server = try await setup.start()

        let listed = try await server.get(Self.management + "/sources")
        #expect(listed.status == 200)
        #expect(listed.json["count"] == 1)
        let version = Self.etag(listed)
        #expect(!version.isEmpty && listed.json["version"] == .string(version), "the list carries the configuration version")

        let applied = try await server.send("POST", Self.management + "/apply-source", setup.extraSource, headers: ["If-Match": "\"\(version)\""])
        #expect(applied.status == 200, "\(applied.json)")
        #expect(applied.json["id"] == "extra")
        #expect(applied.json["status"]?["state"] == "available")
        #expect(applied.json["status"]?["entityCount"] == 1)
        #expect(Self.etag(applied) != version, "a change makes a new version")
        #expect(Self.names(try await server.get(Self.base + "/mcpservers?source=extra")) == ["extra-server"])

        let tagged = try await server.send(
            "POST", Self.management + "/entities/extra-server:action", ["action": "tag", "params": ["tags": ["prod", "gpu"]]])
        #expect(tagged.status == 200, "\(tagged.json)")
        #expect(tagged.json["status"] == "completed")
        let deprecated = try await server.send(
            "POST", Self.management + "/entities/extra-server:action", ["action": "deprecate", "params": ["phase": "sunset"]])
        #expect(deprecated.json["data"]?["overlay"]?["lifecycle"] == "deprecated")

        let disabled = try await server.send("POST", Self.management + "/sources/extra/enable", ["enabled": false])
        #expect(disabled.status == 200, "\(disabled.json)")
        #expect(disabled.json["status"]?["state"] == "disabled")
        #expect(!Self.names(try await server.get(Self.base + "/mcpservers")).contains("extra-server"))

        let history = try await server.get(Self.management + "/sources/extra/revisions")
        #expect(history.status == 200)
        let revisions = try #require(history.json["revisions"]?.arrayValue)
        #expect(revisions.count == 3, "before, added, then disabled (newest first): \(revisions)")
        #expect(revisions.last?["source"] == .null, "before it was added the managed layer had no entry")
        let enabledVersion = try #require(revisions[1]["version"]?.stringValue)
        #expect(revisions[1]["source"]?["enabled"] == nil, "the added entry did not set enabled")
        let rolledBack = try await server.send("POST", Self.management + "/sources/extra:rollback", ["version": .string(enabledVersion)])
        #expect(rolledBack.status == 200, "\(rolledBack.json)")
        #expect(rolledBack.json["source"]?["status"]?["state"] == "available")
        #expect(Self.names(try await server.get(Self.base + "/mcpservers")).contains("extra-server"))
        try await server.stop()

        server = try await setup.start()
        let sources = try await server.get(Self.management + "/sources")
        #expect(sources.json["sources"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["m", "extra"], "the configuration survived")
        let entity = try await server.get(Self.base + "/mcpservers/extra-server")
        #expect(entity.json["overlay"]?["tags"] == ["prod", "gpu"], "the tags survived: \(entity.json)")
        #expect(entity.json["overlay"]?["lifecycle"] == "deprecated")
        let page = try await server.get(Self.base + "/mcpservers?source=extra")
        #expect(page.json["items"]?.arrayValue?.first?["overlay"]?["tags"] == ["prod", "gpu"], "list items carry the overlay")
        let asset = try await server.get(Self.management + "/entities/extra-server")
        #expect(asset.json["metadata"]?["tags"] == ["prod", "gpu"])
        #expect(asset.json["metadata"]?["annotations"]?["catalog/deprecation-phase"] == "sunset")
        #expect(asset.json["status"]?["lifecycle"] == "deprecated")
        let untouched = try await server.get(Self.base + "/mcpservers/kubernetes-mcp-server")
        #expect(untouched.json["overlay"] == nil, "entities without an overlay are served as the plugin answers")
        try await server.stop()
    }

    @Test func staleVersionIsAConflictAndChangesNothing() async throws {
        let setup = try await Setup("management-conflict")
        let server = try await setup.start()
        let version = Self.etag(try await server.get(Self.management + "/sources"))
        #expect(try await server.send("POST", Self.management + "/apply-source", setup.extraSource).status == 200)

        let stale = try await server.send("DELETE", Self.management + "/sources/extra", headers: ["If-Match": "\"\(version)\""])
        #expect(stale.status == 409)
        #expect(stale.json["error"]?.stringValue?.contains(version) == true, "\(stale.json)")
        let after = try await server.get(Self.management + "/sources")
        #expect(after.json["count"] == 2, "the stale delete changed nothing")
        #expect(stale.json["currentVersion"] == .string(Self.etag(after)))

        let deleted = try await server.send("DELETE", Self.management + "/sources/m", headers: ["If-Match": "\"\(Self.etag(after))\""])
        #expect(deleted.status == 200)
        #expect(deleted.json["status"] == "deleted")
        #expect(Self.names(try await server.get(Self.base + "/mcpservers")) == ["extra-server"], "a source from the operator's file is deleted too")
        #expect(try await server.send("DELETE", Self.management + "/sources/m").status == 404)
        #expect(try await server.send("POST", Self.management + "/sources/nope/enable", ["enabled": true]).status == 404)
        #expect(try await server.send(
            "POST", Self.management + "/entities/extra-server:action", ["action": "tag", "params": ["tags": ["prod"]]]).status == 200)

        // What /metrics makes of it: writes by outcome, entities by source, the operations called.
        let metrics = try await MetricsTests.lines(server)
        #expect(MetricsTests.value(metrics, "catalog_store_writes_total", [#"store="configuration""#, #"outcome="ok""#]) == 2)
        #expect(MetricsTests.value(metrics, "catalog_store_writes_total", [#"store="configuration""#, #"outcome="conflict""#]) == 1)
        #expect(MetricsTests.value(metrics, "catalog_store_writes_total", [#"store="overlays""#, #"outcome="ok""#]) == 1)
        #expect(MetricsTests.value(metrics, "catalog_entities", [#"plugin="mcp""#, #"source="extra""#]) == 1, "\(metrics)")
        #expect(MetricsTests.value(metrics, "catalog_entities", [#"source="m""#]) == nil, "a deleted source has no series")
        #expect((MetricsTests.value(metrics, "catalog_plugin_calls_total", [#"plugin="mcp""#, #"kind="operation""#, #"outcome="ok""#]) ?? 0) > 3)
        let operations = MetricsTests.value(metrics, "catalog_plugin_calls_total", [#"plugin="mcp""#, #"kind="operation""#, #"outcome="ok""#])
        let again = try await MetricsTests.lines(server)
        #expect(MetricsTests.value(again, "catalog_plugin_calls_total", [#"plugin="mcp""#, #"kind="operation""#, #"outcome="ok""#]) == operations,
                "a second scrape within 10 s asks the plugins nothing")
        let exported = Set(metrics.filter { $0.hasPrefix("# TYPE ") }.map { String($0.split(separator: " ")[2]) })
        #expect(exported.subtracting(try MetricsTests.documentedMetrics()).isEmpty, "every metric is in docs/operations.md")
        try await server.stop()
    }

    @Test func validationAndBadInput() async throws {
        let setup = try await Setup("management-validate")
        let server = try await setup.start()
        let valid = try await server.send("POST", Self.management + "/validate-source", setup.extraSource)
        #expect(valid.json == ["valid": true, "errors": []])

        let invalid = try await server.send("POST", Self.management + "/validate-source", ["id": "bad id", "colour": "red"])
        #expect(invalid.status == 200)
        #expect(invalid.json["valid"] == false)
        let fields = Set(invalid.json["errors"]?.arrayValue?.compactMap { $0["field"]?.stringValue } ?? [])
        #expect(fields == ["id", "type", "colour"], "\(invalid.json)")

        let missingFile: JSONValue = ["id": "gone", "type": "yaml", "properties": ["yamlCatalogPath": .string(setup.fixtures.scratch.appendingPathComponent("missing.yaml").path)]]
        let unreadable = try await server.send("POST", Self.management + "/validate-source", missingFile)
        #expect(unreadable.json["errors"]?.arrayValue?.first?["field"] == "properties.yamlCatalogPath", "the plugin checks the file: \(unreadable.json)")
        let refused = try await server.send("POST", Self.management + "/apply-source", missingFile)
        #expect(refused.status == 422)
        #expect(refused.json["errors"]?.arrayValue?.count == 1)
        #expect(try await server.get(Self.management + "/sources").json["count"] == 1, "an invalid source is not stored")

        #expect(try await server.send("POST", Self.management + "/apply-source").status == 400, "no body")
        #expect(try await server.send("POST", Self.management + "/sources/m/enable", ["enabled": "yes"]).status == 400)
        #expect(try await server.send("POST", Self.management + "/sources/m:rollback", [:]).status == 400)
        #expect(try await server.send("POST", Self.management + "/sources/m:rollback", ["version": "0000"]).status == 404)
        #expect(try await server.send("POST", Self.management + "/sources/m:explode", [:]).status == 404)
        #expect(try await server.get(Self.management + "/sources/nope/revisions").status == 404)
        try await server.stop()
    }

    @Test func actionsDeclaredDryRunAndUnknown() async throws {
        let setup = try await Setup("management-actions")
        let server = try await setup.start()
        let entity = Self.management + "/entities/kubernetes-mcp-server:action"

        let undeclared = try await server.send("POST", entity, ["action": "explode"])
        #expect(undeclared.status == 400)
        #expect(undeclared.json["error"]?.stringValue?.contains("declared: tag, annotate, deprecate") == true, "\(undeclared.json)")
        let dryRun = try await server.send("POST", entity, ["action": "annotate", "dryRun": true, "params": ["annotations": ["owner": "sre"]]])
        #expect(dryRun.json["status"] == "dry-run")
        #expect(dryRun.json["data"]?["overlay"]?["annotations"] == ["owner": "sre"])
        #expect(try await server.get(Self.base + "/mcpservers/kubernetes-mcp-server").json["overlay"] == nil, "a dry run stores nothing")
        #expect(try await server.send("POST", entity, ["action": "tag", "params": ["tags": "prod"]]).status == 400, "tags must be a list")
        #expect(try await server.send("POST", Self.management + "/entities/nope:action", ["action": "tag", "params": ["tags": ["x"]]]).status == 404)

        #expect(try await server.send("POST", entity, ["action": "tag", "params": ["tags": ["a", "b"]]]).status == 200)
        let again = try await server.send("POST", entity, ["action": "tag", "params": ["tags": ["b"], "remove": ["a"]]])
        #expect(again.json["data"]?["overlay"]?["tags"] == ["b"], "tagging is idempotent and can remove")

        let assetActions = try await server.get(Self.management + "/actions/asset")
        #expect(assetActions.json["actions"]?.arrayValue?.compactMap { $0["id"]?.stringValue } == ["tag", "annotate", "deprecate"])
        #expect(try await server.get(Self.management + "/actions/source").json["actions"]?.arrayValue?.first?["id"] == "refresh")
        let sourceAction = try await server.send("POST", Self.management + "/sources/m:action", ["action": "refresh", "dryRun": true])
        #expect(sourceAction.json["status"] == "dry-run")
        #expect(try await server.send("POST", Self.management + "/sources/m:action", ["action": "tag"]).status == 400)
        #expect(try await server.send("POST", Self.management + "/sources/m:action", ["action": "refresh", "dryRun": "true"]).status == 400,
                "dryRun is a Boolean, as for entities")
        #expect(try await server.send("POST", Self.management + "/sources/nope:action", ["action": "refresh", "dryRun": true]).status == 404,
                "a dry run checks the source as the real run does")
        #expect(try await server.get(Self.management + "/sources/%6D/revisions").status == 200, "source ids are percent-decoded")
        let refreshed = try await server.send("POST", Self.management + "/sources/m:action", ["action": "refresh"])
        #expect(refreshed.json["status"] == "completed", "\(refreshed.json)")
        #expect(refreshed.json["data"]?["entitiesLoaded"] == 6)
        #expect(try await server.send("POST", Self.management + "/refresh/m").status == 429, "the source action counts as a refresh")

        let document = try await server.get("/api/plugins/mcp/capabilities")
        #expect(document.json["sources"]?["manageable"] == true)
        #expect(document.json["sources"]?["refreshable"] == true)
        #expect(document.json["entities"]?.arrayValue?.first?["actions"] == ["tag", "annotate", "deprecate"])
        try await server.stop()
    }

    @Test func refreshIsRateLimitedAndDiagnosticsExplain() async throws {
        let setup = try await Setup("management-refresh")
        let server = try await setup.start()
        #expect(try await server.send("POST", Self.management + "/refresh/nope").status == 404)
        let first = try await server.send("POST", Self.management + "/refresh/m")
        #expect(first.status == 200, "\(first.json)")
        #expect(first.json["sourceId"] == "m")
        #expect(first.json["entitiesLoaded"] == 6)
        let second = try await server.send("POST", Self.management + "/refresh/m")
        #expect(second.status == 429)
        let retryAfter = Int(second.headers["retry-after"] ?? "") ?? 0
        #expect((1...30).contains(retryAfter), "Retry-After: \(second.headers)")
        #expect(try await server.send("POST", Self.management + "/refresh").status == 200, "refreshing everything is its own target")

        try Data("mcpservers: [".utf8).write(to: setup.extraData)
        #expect(try await server.send("POST", Self.management + "/apply-source", setup.extraSource).status == 422)
        let diagnostics = try await server.get(Self.management + "/diagnostics")
        #expect(diagnostics.json["pluginName"] == "mcp")
        #expect(diagnostics.json["sources"]?.arrayValue?.count == 1)
        #expect(diagnostics.json["lastRefresh"]?.stringValue != nil)
        #expect(diagnostics.json["configurationVersion"]?.stringValue != nil)

        try Data("catalogs: [".utf8).write(to: setup.sources)
        await server.server.host.reconcile()
        let stale = try await server.get(Self.management + "/diagnostics")
        let errors = stale.json["errors"]?.arrayValue ?? []
        #expect(errors.contains { $0["component"] == "configuration" && $0["message"]?.stringValue?.contains(setup.sources.path) == true }, "\(stale.json)")
        try await server.stop()
    }

    @Test func withoutAStateDirectoryChangesAreRefused() async throws {
        let setup = try await Setup("management-no-store")
        let server = try await TestServer.start(pluginsDirectory: setup.fixtures.directory, sources: [setup.sources.path])
        #expect(try await server.get(Self.management + "/sources").json["count"] == 1)
        let refused = try await server.send("POST", Self.management + "/apply-source", setup.extraSource)
        #expect(refused.status == 400)
        #expect(refused.json["error"]?.stringValue?.contains("--state-dir") == true)
        try await server.stop()
    }
}
