import Testing

@testable import CatalogServer
@testable import CatalogTestSupport

@Suite("Route patterns declared by plugins")
struct RouteTableTests {
    @Test(arguments: [
        ("/items", "/items", nil),
        ("/items/{name}", "/items/{name}", nil),
        ("/models/{name}/artifacts", "/models/{name}/artifacts", nil),
        ("/models/{rest...}", "/models/**", "rest"),
        ("/", "", nil),
    ] as [(String, String, String?)])
    func validPatternsTranslate(pattern: String, routerPattern: String, remainder: String?) throws {
        let route = try RouteTable.parse(method: "GET", pattern: pattern, routeID: 7).get()
        #expect(route.routerPattern == routerPattern)
        #expect(route.remainderParameter == remainder)
        #expect(route.routeID == 7)
    }

    @Test(arguments: [
        ("GET", "items", "must start with '/'"),
        ("GET", "/items//x", "empty path segment"),
        ("GET", "/a/{rest...}/b", "must be the last segment"),
        ("GET", "/a/{bad-name}", "parameter name"),
        ("GET", "/a/x{y}", "mixes text"),
        ("GET", "/a/*", "mixes text"),
        ("POST", "/management/sources/{x}", "host's management API"),
        ("TRACE", "/a", "method must be one of"),
    ])
    func invalidPatternsAreRefused(method: String, pattern: String, reason: String) {
        guard case .failure(let error) = RouteTable.parse(method: method, pattern: pattern, routeID: 0) else {
            Issue.record("\(method) \(pattern) was accepted")
            return
        }
        #expect(error.reason.contains(reason), "\(error.reason)")
    }

    @Test func duplicateAndLateRoutesAreRefused() {
        let table = RouteTable()
        #expect(table.add(method: "get", pattern: "/a/{x}", routeID: 1) == 0)
        #expect(table.add(method: "GET", pattern: "/a/{y}", routeID: 2) != 0, "same shape, other parameter name")
        let declared = table.close()
        #expect(declared.routes.map(\.method) == ["GET"])
        #expect(declared.errors.count == 1)
        #expect(table.add(method: "GET", pattern: "/b", routeID: 3) != 0)
    }

    /// A worker's report is validated again: its router forms are rebuilt from the patterns,
    /// and what `add_route` refuses is refused.
    @Test func routesAWorkerReportsAreValidatedAgain() throws {
        func route(_ method: String, _ pattern: String, routerPattern: String? = nil, id: UInt32 = 0) -> PluginRoute {
            guard case .success(var route) = RouteTable.parse(method: method, pattern: pattern, routeID: id) else {
                return PluginRoute(method: method, pattern: pattern, routeID: id, routerPattern: routerPattern ?? pattern)
            }
            if let routerPattern { route.routerPattern = routerPattern }
            return route
        }
        let forged = try RouteTable.revalidated([route("GET", "/a/{name...}", routerPattern: "/management/sources", id: 7)]).get()
        #expect(forged.map(\.routerPattern) == ["/a/**"] && forged.map(\.routeID) == [7])
        for refused in [
            [route("GET", "/management/x")], [route("TRACE", "/x")], [route("GET", "/a/{x}"), route("GET", "/a/{y}")],
            (0...RouteTable.maximumRoutes).map { route("GET", "/r\($0)") },
        ] {
            #expect(throws: RouteTable.RouteError.self) { try RouteTable.revalidated(refused).get() }
        }
    }
}
