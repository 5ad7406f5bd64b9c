import CatalogJSON
import CatalogServer
import Foundation
import Synchronization
import Testing
@testable import CatalogTestSupport

/// Several `catalog-server` processes on one real PostgreSQL (`--database-url`): one catalog
/// through applies, tags, concurrent writes, a database outage, a killed replica and a full
/// restart. The database is Debian's PostgreSQL, created by each test in a temporary
/// directory (see ``PostgresTestServer``).
@Suite("Replicas on one PostgreSQL", .serialized, .enabled(if: PostgresTestServer.enabled))
struct ReplicaTests {
    static let base = "/api/mcp_catalog/v1alpha1"
    static let management = base + "/management"
    /// How soon every replica must serve a change made through another.
    static let propagation = Duration.seconds(2)

    /// The MCP catalog's setup of the management tests (one source `m`, a data file for a
    /// source `extra` added at run time) and a database of its own.
    struct Cluster {
        let setup: ManagedCatalogSetup
        let database: PostgresTestServer
        var fixtures: PluginFixtures { setup.fixtures }
        var sources: URL { setup.sources }
        var extraSource: JSONValue { setup.extraSource }

        private init(_ label: String) async throws {
            setup = try await ManagedCatalogSetup(label)
            database = try await PostgresTestServer.start(label)
        }

        /// Runs `body` with a new cluster, and deletes its database afterwards, failed or not.
        static func with(_ label: String, _ body: (Cluster) async throws -> Void) async throws {
            let cluster = try await Cluster(label)
            do {
                try await body(cluster)
            } catch {
                await cluster.database.destroy()
                throw error
            }
            await cluster.database.destroy()
        }

        /// A replica with a state directory of its own, `state-NAME`, on the database.
        func start(_ name: String) async throws -> Replica {
            let state = fixtures.scratch.appendingPathComponent("state-\(name)")
            let server = try await ServerProcess.start(
                ["--reconcile-interval", "60", "--no-probe", "--database-url", database.url],
                environment: [
                    "CATALOG_LISTEN": "127.0.0.1:0", "CATALOG_PLUGINS_DIR": fixtures.directory.path, "CATALOG_SOURCES": sources.path,
                    "CATALOG_STATE_DIR": state.path,
                ])
            return Replica(name: name, server: server, state: state)
        }
    }

    struct Replica {
        let name: String
        let server: ServerProcess
        let state: URL

        func get(_ path: String) async throws -> HTTPResult {
            try await HTTPResult.fetch(URL(string: "http://\(server.address)\(path)")!)
        }

        func send(_ method: String, _ path: String, _ body: JSONValue, headers: [String: String] = [:]) async throws -> HTTPResult {
            try await HTTPResult.fetch(URL(string: "http://\(server.address)\(path)")!, method: method, body: try JSONCoding.encode(body), headers: headers)
        }

        func names() async throws -> [String] {
            try await get(ReplicaTests.base + "/mcpservers").json["items"]?.arrayValue?.compactMap { $0["name"]?.stringValue } ?? []
        }

        func tags(_ entity: String) async throws -> [JSONValue] {
            try await get(ReplicaTests.management + "/entities/\(entity)").json["metadata"]?["tags"]?.arrayValue ?? []
        }

        func stop() {
            server.process.terminate()
            server.process.waitUntilExit()
        }
    }

    /// Waits until `condition` holds, at most `limit`; returns whether it did.
    static func eventually(within limit: Duration = propagation, _ condition: () async throws -> Bool) async throws -> Bool {
        let deadline = ContinuousClock.now + limit
        repeat {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        } while ContinuousClock.now < deadline
        return try await condition()
    }

    static func etag(_ result: HTTPResult) -> String {
        (result.headers["etag"] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\""))
    }

    static func tagBody(_ tags: [String]) -> JSONValue {
        ["action": "tag", "params": ["tags": .array(tags.map(JSONValue.string))]]
    }

    /// The issue's "done when": three replicas started together (migrating once) act as one
    /// catalog through an apply, a tag, concurrent writes on one version, a database outage
    /// and its end, and a full restart with empty state directories.
    @Test func threeReplicasBehaveAsOneCatalog() async throws {
        try await Cluster.with("replicas") { cluster in
            async let startingA = cluster.start("a")
            async let startingB = cluster.start("b")
            async let startingC = cluster.start("c")
            let (a, b, c) = try await (startingA, startingB, startingC)
            defer { for replica in [a, b, c] where replica.server.process.isRunning { replica.server.process.terminate() } }
            #expect(try await cluster.database.sql("SELECT version FROM catalog_schema") == "1")
            for replica in [a, b, c] {
                let ready = try await replica.get("/readyz")
                #expect(ready.status == 200 && ready.json["components"]?["database"]?["status"] == "connected", "\(ready.json)")
                let details = ready.json["components"]?["database"]?["details"]?.stringValue ?? ""
                #expect(details.hasPrefix("postgres://catalog:***@127.0.0.1:") && !details.contains(cluster.database.password), "\(details)")
            }

            // Apply on one, served by the others.
            let applied = try await a.send("POST", Self.management + "/apply-source", cluster.extraSource)
            #expect(applied.status == 200, "\(applied.json)")
            for replica in [b, c] {
                #expect(try await Self.eventually { try await replica.names().contains("extra-server") }, "replica \(replica.name) serves the applied source")
            }

            // Tag on one, seen on the others, on reads and in the asset envelope.
            let tagged = try await b.send("POST", Self.management + "/entities/extra-server:action", Self.tagBody(["prod"]))
            #expect(tagged.status == 200, "\(tagged.json)")
            for replica in [a, c] {
                #expect(try await Self.eventually { try await replica.tags("extra-server") == ["prod"] }, "replica \(replica.name) sees the tag")
            }

            // Two replicas writing on one version: exactly one wins.
            let version = Self.etag(try await c.get(Self.management + "/sources"))
            #expect(!version.isEmpty)
            async let first = a.send("POST", Self.management + "/sources/extra/enable", ["enabled": false], headers: ["If-Match": "\"\(version)\""])
            async let second = c.send("POST", Self.management + "/sources/m/enable", ["enabled": false], headers: ["If-Match": "\"\(version)\""])
            let statuses = try await [first.status, second.status].sorted()
            #expect(statuses == [200, 409], "one write wins, the other is told the version moved: \(statuses)")
            let winner = try await [first, second].first { $0.status == 200 }!
            let newVersion = Self.etag(winner)
            for replica in [a, b, c] {
                #expect(try await Self.eventually { Self.etag(try await replica.get(Self.management + "/sources")) == newVersion }, "\(replica.name) is at the winner's version")
            }
            // Undo whichever won, so both sources serve again.
            let winnerID = try await first.status == 200 ? "extra" : "m"
            let undo = try await b.send("POST", Self.management + "/sources/\(winnerID)/enable", ["enabled": true])
            #expect(undo.status == 200, "\(undo.json)")
            for replica in [a, b, c] {
                #expect(try await Self.eventually { Set(try await replica.names()).isSuperset(of: ["extra-server", "kubernetes-mcp-server"]) }, "\(replica.name)")
            }

            // The database stops: reads go on, writes answer 503 saying why, readiness says so.
            try await cluster.database.stop()
            for replica in [a, b, c] {
                #expect(try await replica.names().contains("extra-server"), "reads are served from memory")
                #expect(try await Self.eventually(within: .seconds(10)) {
                    try await replica.get("/readyz").json["components"]?["database"]?["status"] == "unavailable"
                }, "\(replica.name) reports the outage")
                let ready = try await replica.get("/readyz")
                #expect(ready.status == 200 && ready.json["status"] == "degraded", "\(ready.json)")
            }
            let refused = try await a.send("POST", Self.management + "/entities/extra-server:action", Self.tagBody(["lost?"]))
            #expect(refused.status == 503, "\(refused.json)")
            #expect(refused.json["message"]?.stringValue?.contains("the database is unavailable") == true, "\(refused.json)")
            let refusedApply = try await c.send("POST", Self.management + "/sources/extra/enable", ["enabled": false])
            #expect(refusedApply.status == 503, "\(refusedApply.json)")
            let metrics = String(decoding: try await a.get("/metrics").body, as: UTF8.self)
            #expect(metrics.contains("catalog_state_database_up 0"), "\(metrics)")
            #expect(metrics.contains(#"catalog_store_writes_total{store="overlays",outcome="unavailable"} 1"#), "\(metrics)")
            // A replica that starts now, with an empty state directory, has nothing of the shared
            // state to serve: it is not ready until it has read it.
            let late = try await cluster.start("late")
            defer { late.stop() }
            let lateReady = try await late.get("/readyz")
            #expect(lateReady.status == 503 && lateReady.json["status"] == "not_ready", "\(lateReady.json)")
            #expect(lateReady.json["components"]?["database"]?["status"] == "unavailable")

            // The database is back: every replica reconnects, writes work, nothing is lost.
            try await cluster.database.restart()
            for replica in [a, b, c] {
                #expect(try await Self.eventually(within: .seconds(15)) {
                    try await replica.get("/readyz").json["components"]?["database"]?["status"] == "connected"
                }, "\(replica.name) reconnects")
            }
            let retagged = try await c.send("POST", Self.management + "/entities/extra-server:action", Self.tagBody(["prod", "gpu"]))
            #expect(retagged.status == 200, "\(retagged.json)")
            #expect(String(decoding: try await a.get("/metrics").body, as: UTF8.self).contains("catalog_state_database_up 1"))
            for replica in [a, b] {
                #expect(try await Self.eventually { try await replica.tags("extra-server") == ["prod", "gpu"] }, "\(replica.name)")
            }
            #expect(try await a.names().contains("extra-server"), "the source refused during the outage was not disabled")
            #expect(try await Self.eventually(within: .seconds(15)) { try await late.get("/readyz").status == 200 }, "the late replica caught up")
            #expect(try await late.names().contains("extra-server"))
            #expect(try await late.tags("extra-server") == ["prod", "gpu"])

            // A full restart with empty state directories: everything is still there.
            for replica in [a, b, c] { replica.stop() }
            for replica in [a, b, c] { try FileManager.default.removeItem(at: replica.state) }
            let fresh = try await cluster.start("fresh")
            defer { fresh.stop() }
            #expect(try await fresh.names().contains("extra-server"))
            #expect(try await fresh.tags("extra-server") == ["prod", "gpu"])
            let revisions = try await fresh.get(Self.management + "/sources/extra/revisions")
            #expect((revisions.json["count"]?.doubleValue ?? 0) >= 2, "\(revisions.json)")

            // The password never reached a log line.
            for replica in [a, b, c, fresh] {
                #expect(!replica.server.output.all.contains(cluster.database.password), "\(replica.name) never logs the password")
            }
        }
    }

    /// Overlay actions on one entity through two replicas at once all take effect, even while
    /// the entity's row is created and deleted under them: through one replica clients add and
    /// remove tags of their own, through the other clients add a tag, check that the database
    /// has it, and remove it again (the row goes whenever the overlay is left empty).
    @Test func overlayActionsThroughTwoReplicasAllTakeEffect() async throws {
        try await Cluster.with("replica-overlays") { cluster in
            let a = try await cluster.start("a")
            defer { a.stop() }
            let b = try await cluster.start("b")
            defer { b.stop() }
            let path = Self.management + "/entities/ansible-mcp-server:action"
            let acknowledged = AcknowledgedTags()
            let lost = AcknowledgedTags()
            await withTaskGroup(of: Void.self) { group in
                for writer in 0..<3 {
                    group.addTask {
                        for _ in 0..<40 {
                            _ = try? await a.send("POST", path, Self.tagBody(["x\(writer)"]))
                            _ = try? await a.send("POST", path, ["action": "tag", "params": ["remove": [.string("x\(writer)")]]])
                        }
                    }
                    group.addTask {
                        for round in 0..<25 {
                            let tag = "b\(writer)-\(round)"
                            guard (try? await b.send("POST", path, Self.tagBody([tag])))?.status == 200 else { continue }
                            acknowledged.add(tag)
                            let stored = (try? await cluster.database.sql("SELECT overlay FROM catalog_overlays WHERE entity = 'ansible-mcp-server'")) ?? ""
                            if !stored.contains("\"\(tag)\"") { lost.add(tag) }
                            _ = try? await b.send("POST", path, ["action": "tag", "params": ["remove": [.string(tag)]]])
                        }
                    }
                }
            }
            #expect(acknowledged.count == 75)
            #expect(lost.count == 0, "acknowledged but not stored: \(lost.all.sorted())")
            for replica in [a, b] {
                #expect(try await Self.eventually { try await replica.tags("ansible-mcp-server").isEmpty }, "\(replica.name): every tag was removed again")
            }
            #expect(try await cluster.database.sql("SELECT count(*) FROM catalog_overlays WHERE entity = 'ansible-mcp-server'") == "0")
        }
    }

    /// A database that stops answering without closing anything (a partition, here every
    /// process of it stopped) is noticed: a write gives up within its deadline with 503, the
    /// listening connection's heartbeat marks the database unavailable, and once it answers
    /// again the replica reconnects and writes.
    @Test func aDatabaseThatStopsAnsweringIsNoticed() async throws {
        try await Cluster.with("replica-freeze") { cluster in
            let replica = try await cluster.start("a")
            defer { replica.stop() }
            #expect(try await replica.send("POST", Self.management + "/entities/github-mcp-server:action", Self.tagBody(["before"])).status == 200)

            try await cluster.database.freeze()
            let started = ContinuousClock.now
            let refused = try await replica.send("POST", Self.management + "/entities/github-mcp-server:action", Self.tagBody(["during"]))
            #expect(refused.status == 503, "\(refused.json)")
            #expect(refused.json["message"]?.stringValue?.contains("the database is unavailable: no answer within") == true, "\(refused.json)")
            #expect(ContinuousClock.now - started < .seconds(12), "the write gives up within its deadline")
            let fresh = try await replica.send("POST", Self.management + "/entities/github-mcp-server:action", Self.tagBody(["during"]))
            #expect(fresh.status == 503, "a new connection to a database that never answers gives up too: \(fresh.json)")
            #expect(try await replica.tags("github-mcp-server") == ["before"], "reads go on")
            #expect(try await Self.eventually(within: .seconds(30)) {
                try await replica.get("/readyz").json["components"]?["database"]?["status"] == "unavailable"
            }, "the heartbeat notices")

            try await cluster.database.thaw()
            #expect(try await Self.eventually(within: .seconds(30)) {
                try await replica.get("/readyz").json["components"]?["database"]?["status"] == "connected"
            })
            #expect(try await replica.send("POST", Self.management + "/entities/github-mcp-server:action", Self.tagBody(["after"])).status == 200)
            #expect(try await replica.tags("github-mcp-server") == ["before", "after"], "the refused writes were not stored")
        }
    }

    /// A refresh through one replica is repeated by the others, and the rate-limit window is
    /// the cluster's: a second refresh through another replica within it is refused.
    @Test func refreshWindowIsSharedAndRefreshesReachEveryReplica() async throws {
        try await Cluster.with("replica-refresh") { cluster in
            let a = try await cluster.start("a")
            defer { a.stop() }
            let b = try await cluster.start("b")
            defer { b.stop() }
            // B follows A's changes once it has seen one.
            #expect(try await a.send("POST", Self.management + "/entities/jira-mcp-server:action", Self.tagBody(["seen"])).status == 200)
            #expect(try await Self.eventually { try await b.tags("jira-mcp-server") == ["seen"] })
            let first = try await a.send("POST", Self.management + "/refresh/m", [:])
            #expect(first.status == 200, "\(first.json)")
            let second = try await b.send("POST", Self.management + "/refresh/m", [:])
            #expect(second.status == 429, "the window is the cluster's: \(second.json)")
            #expect(try await Self.eventually { b.server.output.all.contains("refreshed source \"m\" of plugin \"mcp\" as another replica did") })
        }
    }

    /// A replica killed while it writes leaves no partial state: every write that was
    /// acknowledged is stored, nothing half-written is, and the others keep writing.
    @Test func aReplicaKilledMidWriteLeavesNoPartialState() async throws {
        try await Cluster.with("replica-kill") { cluster in
            let victim = try await cluster.start("victim")
            let survivor = try await cluster.start("survivor")
            defer { survivor.stop() }

            let acknowledged = AcknowledgedTags()
            let writers = Task {
                await withTaskGroup(of: Void.self) { group in
                    for writer in 0..<4 {
                        group.addTask {
                            for round in 0..<200 {
                                let tag = "w\(writer)-\(round)"
                                guard let result = try? await victim.send(
                                    "POST", Self.management + "/entities/kubernetes-mcp-server:action",
                                    ["action": "annotate", "params": ["annotations": .object([tag: "x"])]])
                                else { return }
                                if result.status == 200 { acknowledged.add(tag) }
                            }
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(700))
            kill(victim.server.process.processIdentifier, SIGKILL)
            await writers.value
            victim.server.process.waitUntilExit()
            #expect(acknowledged.count > 0, "some writes were acknowledged before the kill")

            // Every acknowledged annotation is stored; no transaction is left open.
            let stored = try await survivor.get(Self.management + "/entities/kubernetes-mcp-server")
            let annotations = stored.json["metadata"]?["annotations"]?.objectValue ?? [:]
            let survivorSaw = try await Self.eventually(within: .seconds(5)) {
                let annotations = try await survivor.get(Self.management + "/entities/kubernetes-mcp-server").json["metadata"]?["annotations"]?.objectValue ?? [:]
                return acknowledged.all.isSubset(of: Set(annotations.keys))
            }
            #expect(survivorSaw, "acknowledged: \(acknowledged.count), stored: \(annotations.count)")
            #expect(try await Self.eventually(within: .seconds(10)) {
                try await cluster.database.sql("SELECT count(*) FROM pg_stat_activity WHERE state LIKE 'idle in transaction%'") == "0"
            })
            #expect(try await cluster.database.sql(#"SELECT count(*) FROM catalog_overlays WHERE overlay::jsonb = '{"tags": [], "annotations": {}}'::jsonb"#) == "0")
            // The lock the killed replica may have held is gone: the survivor writes.
            let written = try await survivor.send("POST", Self.management + "/entities/kubernetes-mcp-server:action", Self.tagBody(["after"]))
            #expect(written.status == 200, "\(written.json)")
            let configured = try await survivor.send("POST", Self.management + "/apply-source", cluster.extraSource)
            #expect(configured.status == 200, "\(configured.json)")
        }
    }

    /// `catalog-server state import` copies a single server's state directory into the
    /// database, versions and overlays included, and a second run copies nothing.
    @Test func stateImportMovesASingleServerToTheDatabase() async throws {
        try await Cluster.with("replica-import") { cluster in
            let single = cluster.fixtures.scratch.appendingPathComponent("single-state")
            let server = try await ServerProcess.start(
                ["--reconcile-interval", "0", "--no-probe"],
                environment: [
                    "CATALOG_LISTEN": "127.0.0.1:0", "CATALOG_PLUGINS_DIR": cluster.fixtures.directory.path,
                    "CATALOG_SOURCES": cluster.sources.path, "CATALOG_STATE_DIR": single.path,
                ])
            let alone = Replica(name: "single", server: server, state: single)
            #expect(try await alone.send("POST", Self.management + "/apply-source", cluster.extraSource).status == 200)
            #expect(try await alone.send("POST", Self.management + "/entities/extra-server:action", Self.tagBody(["kept"])).status == 200)
            let fileVersion = Self.etag(try await alone.get(Self.management + "/sources"))
            alone.stop()

            let imported = try await runCommand([TestPaths.executable, "state", "import", "--database-url", cluster.database.url, single.path])
            #expect(imported.status == 0, "\(imported.output)")
            #expect(imported.output.contains("2 version(s) of the managed sources layer, 1 overlay(s) copied"), "\(imported.output)")
            #expect(!imported.output.contains(cluster.database.password))
            let again = try await runCommand([TestPaths.executable, "state", "import", "--database-url", cluster.database.url, single.path])
            #expect(again.status == 0 && again.output.contains("0 version(s) of the managed sources layer, 0 overlay(s) copied, 1 already there"), "\(again.output)")

            let replica = try await cluster.start("after-import")
            defer { replica.stop() }
            #expect(try await replica.names().contains("extra-server"))
            #expect(try await replica.tags("extra-server") == ["kept"])
            #expect(Self.etag(try await replica.get(Self.management + "/sources")) == fileVersion, "versions are kept, so If-Match goes on working")

            // A database with other changes is not overwritten.
            #expect(try await replica.send("POST", Self.management + "/sources/extra/enable", ["enabled": false]).status == 200)
            let other = cluster.fixtures.scratch.appendingPathComponent("other-state")
            try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: single.appendingPathComponent("sources.yaml"), to: other.appendingPathComponent("sources.yaml"))
            try Data("# changed by hand\n".utf8).write(to: other.appendingPathComponent("sources.yaml"), options: .atomic)
            let refused = try await runCommand([TestPaths.executable, "state", "import", "--database-url", cluster.database.url, other.path])
            #expect(refused.status != 0 && refused.output.contains("already holds changes"), "\(refused.output)")
        }
    }

    /// A database migrated by a newer server is refused at start-up with a clear message, and a
    /// URL that cannot be used names the problem without the password.
    @Test func refusesANewerSchemaAndBadURLs() async throws {
        try await Cluster.with("replica-schema") { cluster in
            let first = try await cluster.start("first")
            first.stop()
            _ = try await cluster.database.sql("UPDATE catalog_schema SET version = 99")
            let refused = try await runCommand([
                "env", "CATALOG_LISTEN=127.0.0.1:0", "CATALOG_PLUGINS_DIR=\(cluster.fixtures.directory.path)",
                "CATALOG_STATE_DIR=\(cluster.fixtures.scratch.appendingPathComponent("state-second").path)",
                TestPaths.executable, "--no-probe", "--database-url", cluster.database.url, "--sources", cluster.sources.path,
            ])
            #expect(refused.status == 2, "\(refused.output)")
            #expect(refused.output.contains("schema is version 99, newer than this server's (1)"), "\(refused.output)")
            #expect(!refused.output.contains(cluster.database.password))

            let badMode = try await runCommand([TestPaths.executable, "--database-url", "postgres://u:hunter2-secret@localhost/db?sslmode=sometimes"])
            #expect(badMode.status != 0 && badMode.output.contains("sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full"), "\(badMode.output)")
            #expect(!badMode.output.contains("hunter2"))
        }
    }
}

/// Tags a writer saw acknowledged.
final class AcknowledgedTags: Sendable {
    private let tags = Mutex<Set<String>>([])
    func add(_ tag: String) { tags.withLock { _ = $0.insert(tag) } }
    var all: Set<String> { tags.withLock { $0 } }
    var count: Int { all.count }
}
