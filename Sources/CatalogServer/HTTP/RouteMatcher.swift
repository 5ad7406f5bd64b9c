import HTTPTypes

/// A plugin's routes, matched against the part of a request path below the plugin's base path.
///
/// Matching reads the path's bytes once, segment by segment; only the parameters of the route
/// that matches are copied out. The rules (the header states them at `add_route`):
/// - empty segments (`//`, a trailing `/`) are skipped;
/// - literal segments compare byte for byte, case-sensitively, as the path was sent
///   (still percent-encoded);
/// - of the routes of the request's method that match, the most specific wins, segment by
///   segment: a literal before `{name}`, `{name}` before `{name...}`, whatever the parameters
///   are called;
/// - `{name...}` takes one segment or more: the rest of the path's segments, joined with `/`
///   (empty ones dropped).
///
/// Only routes of the request's method are considered, so `GET /items/special` reaches
/// `GET /items/{name}` even when `POST /items/special` exists.
///
/// The routes form a tree, and a match visits each of its nodes at most once, reading one
/// segment of the path there: the work is bounded by the routes' size times the path's
/// length, and the recursion by the routes' depth.
///
/// ```swift
/// let matcher = RouteMatcher([(route, "items")])
/// if let (value, parameters) = matcher.match(.get, "/items/a%2Fb") { … }  // parameters: [("name", "a%2Fb")]
/// ```
struct RouteMatcher<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        /// Children by literal segment, in declaration order.
        var literals: [(segment: [UInt8], node: Int)] = []
        /// The child for a `{name}` segment, whatever its name.
        var parameter: Int?
        /// The route ending in `{name...}` here.
        var remainder: Int?
        /// The route ending here.
        var route: Int?
    }

    /// A route's value and the names of its parameters in path order, `{name...}` last.
    private struct Target: Sendable {
        var value: Value
        var names: [String]
        var endsInRemainder: Bool
    }

    private var nodes: [Node] = []
    /// The root node of each method's routes.
    private var roots: [(method: HTTPRequest.Method, node: Int)] = []
    private var targets: [Target] = []

    /// - Parameter routes: The routes and what a match returns for each. Routes with the same
    ///   method and shape must not repeat (``RouteTable`` refuses them); a repeat is ignored.
    init(_ routes: [(route: PluginRoute, value: Value)]) {
        for (route, value) in routes {
            guard let method = HTTPRequest.Method(route.method) else { continue }
            var node: Int
            if let root = roots.first(where: { $0.method == method }) {
                node = root.node
            } else {
                node = newNode()
                roots.append((method, node))
            }
            var names: [String] = []
            var end = \Node.route
            let segments = route.routerPattern.split(separator: "/")
            for (index, segment) in segments.enumerated() {
                if segment == "**", index == segments.count - 1, let name = route.remainderParameter {
                    names.append(name)
                    end = \.remainder
                } else if segment.hasPrefix("{") {
                    names.append(String(segment.dropFirst().dropLast()))
                    node = child(of: node, \.parameter)
                } else {
                    let bytes = Array(segment.utf8)
                    if let existing = nodes[node].literals.first(where: { $0.segment == bytes }) {
                        node = existing.node
                    } else {
                        let added = newNode()
                        nodes[node].literals.append((bytes, added))
                        node = added
                    }
                }
            }
            if nodes[node][keyPath: end] == nil {
                targets.append(Target(value: value, names: names, endsInRemainder: end == \Node.remainder))
                nodes[node][keyPath: end] = targets.count - 1
            }
        }
    }

    private mutating func newNode() -> Int {
        nodes.append(Node())
        return nodes.count - 1
    }

    /// The node at `link` of `node`, added when there is none.
    private mutating func child(of node: Int, _ link: WritableKeyPath<Node, Int?>) -> Int {
        if let existing = nodes[node][keyPath: link] { return existing }
        let added = newNode()
        nodes[node][keyPath: link] = added
        return added
    }

    /// The route `path` matches for `method`, and its parameters as sent (still percent-encoded),
    /// in the order of the path; `nil` when no route matches.
    ///
    /// - Parameters:
    ///   - method: The request's method.
    ///   - path: The path below the base path: empty, or starting with `/`.
    func match(_ method: HTTPRequest.Method, _ path: Substring) -> (value: Value, parameters: [(String, String)])? {
        guard let root = roots.first(where: { $0.method == method })?.node else { return nil }
        var path = path
        return path.withUTF8 { bytes -> (value: Value, parameters: [(String, String)])? in
            var captures: [Range<Int>] = []
            guard let index = descend(root, bytes, from: 0, &captures) else { return nil }
            let target = targets[index]
            var parameters = zip(target.names, captures).map { name, range in
                (name, String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            }
            if target.endsInRemainder, let range = captures.last, Self.hasEmptySegment(bytes[range]) {
                // The rest's segments joined with `/`: empty ones dropped, as everywhere else.
                let segments = UnsafeBufferPointer(rebasing: bytes[range]).split(separator: UInt8(ascii: "/"))
                parameters[parameters.count - 1].1 = String(decoding: Array(segments.joined(separator: [UInt8(ascii: "/")])), as: UTF8.self)
            }
            return (target.value, parameters)
        }
    }

    /// The route of the first match of `bytes[offset...]` from `node`, depth first in the
    /// order of specificity; `captures` holds the byte ranges of its parameters.
    private func descend(_ node: Int, _ bytes: UnsafeBufferPointer<UInt8>, from offset: Int, _ captures: inout [Range<Int>]) -> Int? {
        guard let segment = Self.segment(in: bytes, from: offset) else { return nodes[node].route }
        let text = UnsafeBufferPointer(rebasing: bytes[segment])
        for literal in nodes[node].literals where literal.segment.count == text.count && literal.segment.elementsEqual(text) {
            if let route = descend(literal.node, bytes, from: segment.upperBound, &captures) { return route }
        }
        if let parameter = nodes[node].parameter {
            captures.append(segment)
            if let route = descend(parameter, bytes, from: segment.upperBound, &captures) { return route }
            captures.removeLast()
        }
        if let route = nodes[node].remainder {
            captures.append(segment.lowerBound..<bytes.count)
            return route
        }
        return nil
    }

    /// Whether `bytes`, which start with a segment, hold `//` or end in `/`.
    private static func hasEmptySegment(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        let slash = UInt8(ascii: "/")
        return bytes.last == slash || zip(bytes, bytes.dropFirst()).contains { $0 == slash && $1 == slash }
    }

    /// The next non-empty segment of `bytes` from `offset`, or `nil` at the end.
    private static func segment(in bytes: UnsafeBufferPointer<UInt8>, from offset: Int) -> Range<Int>? {
        let slash = UInt8(ascii: "/")
        var start = offset
        while start < bytes.count && bytes[start] == slash { start += 1 }
        guard start < bytes.count else { return nil }
        var end = start
        while end < bytes.count && bytes[end] != slash { end += 1 }
        return start..<end
    }
}
