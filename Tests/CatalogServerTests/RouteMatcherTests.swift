import HTTPTypes
import Testing

@testable import CatalogServer

/// A plugin's routes are matched as documented on ``RouteMatcher``: the most specific route of
/// the request's method, segment by segment, backtracking when a more specific branch fails.
@Suite("Route matching")
struct RouteMatcherTests {
    /// The matcher over `routes` (`METHOD /pattern`), each route its own value.
    private func matcher(_ routes: [String]) -> RouteMatcher<String> {
        RouteMatcher(routes.map { line in
            let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
            guard case .success(let route) = RouteTable.parse(method: parts[0], pattern: parts[1], routeID: 0) else {
                fatalError("bad route \(line)")
            }
            return (route, line)
        })
    }

    /// `route → parameters`, or `nil`.
    private func match(_ matcher: RouteMatcher<String>, _ method: HTTPRequest.Method, _ path: String) -> String? {
        guard let (route, parameters) = matcher.match(method, Substring(path)) else { return nil }
        return ([route] + parameters.map { "\($0.0)=\($0.1)" }).joined(separator: " ")
    }

    @Test func theMostSpecificRouteWinsSegmentBySegment() {
        let routes = matcher([
            "GET /items/special", "GET /items/{name}", "GET /items/{name...}",
            "GET /items/{name}/parts", "GET /items/special/info",
        ])
        #expect(match(routes, .get, "/items/special") == "GET /items/special")
        #expect(match(routes, .get, "/items/other") == "GET /items/{name} name=other")
        #expect(match(routes, .get, "/items/a/b") == "GET /items/{name...} name=a/b")
        // The literal branch fails below `special`: the parameter's branch is tried next.
        #expect(match(routes, .get, "/items/special/parts") == "GET /items/{name}/parts name=special")
        #expect(match(routes, .get, "/items/special/info") == "GET /items/special/info")
        #expect(match(routes, .get, "/items/special/other") == "GET /items/{name...} name=special/other")
        #expect(match(routes, .get, "/items") == nil)
        #expect(match(routes, .get, "/other") == nil)
        // A path ending on a literal that has no route of its own backtracks too.
        let deeper = matcher(["GET /items/special/info", "GET /items/{name}"])
        #expect(match(deeper, .get, "/items/special") == "GET /items/{name} name=special")
    }

    @Test func onlyTheRequestsMethodIsConsidered() {
        let routes = matcher(["POST /items/special", "GET /items/{name}", "DELETE /items/{name}"])
        #expect(match(routes, .get, "/items/special") == "GET /items/{name} name=special")
        #expect(match(routes, .post, "/items/special") == "POST /items/special")
        #expect(match(routes, .delete, "/items/x") == "DELETE /items/{name} name=x")
        #expect(match(routes, .put, "/items/x") == nil)
        #expect(match(routes, .post, "/items/x") == nil)
    }

    @Test func emptySegmentsAreSkippedEvenInTheRemainder() {
        let routes = matcher(["GET /", "GET /a/{x}/b", "GET /files/{path...}"])
        #expect(match(routes, .get, "") == "GET /")
        #expect(match(routes, .get, "/") == "GET /")
        #expect(match(routes, .get, "//a//1/b/") == "GET /a/{x}/b x=1")
        // The rest's segments joined with `/`, empty ones dropped, escapes kept.
        #expect(match(routes, .get, "/files//x//y%2Fz/") == "GET /files/{path...} path=x/y%2Fz")
        #expect(match(routes, .get, "/files/x") == "GET /files/{path...} path=x")
        #expect(match(routes, .get, "/files/x/") == "GET /files/{path...} path=x")
        #expect(match(routes, .get, "/files/x/y") == "GET /files/{path...} path=x/y")
        // A remainder alone beside the root route: the root takes the empty path.
        let rest = matcher(["GET /{rest...}", "GET /"])
        #expect(match(rest, .get, "/") == "GET /")
        #expect(match(rest, .get, "//a//b") == "GET /{rest...} rest=a/b")
        // The remainder takes one segment or more.
        #expect(match(routes, .get, "/files") == nil)
        #expect(match(routes, .get, "/files//") == nil)
    }

    @Test func segmentsCompareByteForByteAsSent() {
        let routes = matcher(["GET /Items/{name}", "GET /a%20b"])
        #expect(match(routes, .get, "/items/x") == nil)
        #expect(match(routes, .get, "/Items/x%2Fy") == "GET /Items/{name} name=x%2Fy")
        #expect(match(routes, .get, "/a%20b") == "GET /a%20b")
        #expect(match(routes, .get, "/a b") == nil)
        #expect(match(routes, .get, "/Items/é") == "GET /Items/{name} name=é")
    }

    /// Specificity does not depend on what parameters are called, nor on the order routes are
    /// declared in; each route's parameters carry its own names.
    @Test(arguments: [false, true])
    func parametersOfAnyNameAreOneStepOfSpecificity(reversed: Bool) {
        let declared = ["GET /{id}/{part}", "GET /{name}/show/{part}", "GET /{kind}/list", "GET /{a}/{b}/{rest...}"]
        let routes = matcher(reversed ? declared.reversed() : declared)
        #expect(match(routes, .get, "/k/list") == "GET /{kind}/list kind=k")
        #expect(match(routes, .get, "/n/show/p") == "GET /{name}/show/{part} name=n part=p")
        #expect(match(routes, .get, "/i/p") == "GET /{id}/{part} id=i part=p")
        #expect(match(routes, .get, "/i/p/q/r") == "GET /{a}/{b}/{rest...} a=i b=p rest=q/r")
        #expect(match(routes, .get, "/i") == nil)
    }

    /// Two routes of one shape (``RouteTable`` refuses the second): the first declared is kept.
    @Test func ofTwoRoutesOfOneShapeTheFirstIsKept() {
        let routes = matcher(["GET /a/{x}", "GET /a/{y}", "GET /b/{r...}", "GET /b/{s...}"])
        #expect(match(routes, .get, "/a/1") == "GET /a/{x} x=1")
        #expect(match(routes, .get, "/b/1/2") == "GET /b/{r...} r=1/2")
    }

    /// A path whose first segment below the base path is `management` goes to the host's
    /// management API, never to the plugin.
    @Test func managementPathsAreTheHosts() {
        for path in ["/management", "/management/", "//management/sources", "/management/x/y"] {
            #expect(PluginMount.isManagement(Substring(path)), "\(path)")
        }
        for path in ["", "/", "/managementx", "/x/management", "/Management", "/%6Danagement"] {
            #expect(!PluginMount.isManagement(Substring(path)), "\(path)")
        }
    }
}
