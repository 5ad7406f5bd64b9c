import HTTPTypes

/// A plugin's routes, matched against the part of a request path below the plugin's base path.
///
/// Matching reads the path's bytes once, segment by segment, and allocates nothing but the
/// parameters it returns. The rules are the router's:
/// - empty segments (`//`, a trailing `/`) are skipped;
/// - literal segments compare byte for byte, case-sensitively, as the path was sent
///   (still percent-encoded);
/// - of the routes of the request's method that match, the most specific wins, segment by
///   segment: a literal before `{name}`, `{name}` before `{name...}`, and among parameters of
///   one position the route declared first;
/// - `{name...}` takes one segment or more: the rest of the path, from its first segment to the
///   end of its last, as sent.
///
/// Only routes of the request's method are considered, so `GET /items/special` reaches
/// `GET /items/{name}` even when `POST /items/special` exists.
///
/// ```swift
/// let matcher = RouteMatcher([(route, "items")])
/// if let (value, parameters) = matcher.match(.get, "/items/a%2Fb") { … }  // parameters: [("name", "a%2Fb")]
/// ```
struct RouteMatcher<Value: Sendable>: Sendable {
    private struct Node: Sendable {
        /// Children by literal segment, in declaration order.
        var literals: [(key: [UInt8], node: Int)] = []
        /// Children by parameter name, in declaration order.
        var parameters: [(key: String, node: Int)] = []
        /// The route ending in `{name...}` here.
        var remainder: (name: String, value: Int)?
        /// The route ending here.
        var value: Int?
    }

    private var nodes: [Node] = []
    /// The root node of each method's routes.
    private var roots: [(method: HTTPRequest.Method, node: Int)] = []
    private var values: [Value] = []

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
            let segments = route.routerPattern.split(separator: "/")
            for (index, segment) in segments.enumerated() {
                if segment == "**", index == segments.count - 1, let name = route.remainderParameter {
                    if nodes[node].remainder == nil {
                        values.append(value)
                        nodes[node].remainder = (name, values.count - 1)
                    }
                    node = -1
                    break
                }
                node = segment.hasPrefix("{")
                    ? child(of: node, \.parameters, String(segment.dropFirst().dropLast()))
                    : child(of: node, \.literals, Array(segment.utf8))
            }
            if node >= 0, nodes[node].value == nil {
                values.append(value)
                nodes[node].value = values.count - 1
            }
        }
    }

    private mutating func newNode() -> Int {
        nodes.append(Node())
        return nodes.count - 1
    }

    /// The child of `node` reached by `key` among `children`, added when there is none.
    private mutating func child<Key: Equatable>(
        of node: Int, _ children: WritableKeyPath<Node, [(key: Key, node: Int)]>, _ key: Key
    ) -> Int {
        if let existing = nodes[node][keyPath: children].first(where: { $0.key == key }) { return existing.node }
        let child = newNode()
        nodes[node][keyPath: children].append((key, child))
        return child
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
        return path.withUTF8 { bytes in
            var parameters: [(String, String)] = []
            guard let value = descend(root, bytes, from: 0, &parameters) else { return nil }
            return (values[value], parameters)
        }
    }

    /// The value of the first route matching `bytes[offset...]` from `node`, depth first in the
    /// order of specificity; `parameters` holds the captures of the match.
    private func descend(
        _ node: Int, _ bytes: UnsafeBufferPointer<UInt8>, from offset: Int, _ parameters: inout [(String, String)]
    ) -> Int? {
        let slash = UInt8(ascii: "/")
        var start = offset
        while start < bytes.count && bytes[start] == slash { start += 1 }
        guard start < bytes.count else { return nodes[node].value }
        var end = start
        while end < bytes.count && bytes[end] != slash { end += 1 }
        let segment = UnsafeBufferPointer(rebasing: bytes[start..<end])
        for literal in nodes[node].literals where literal.key.elementsEqual(segment) {
            if let value = descend(literal.node, bytes, from: end, &parameters) { return value }
        }
        for parameter in nodes[node].parameters {
            parameters.append((parameter.key, String(decoding: segment, as: UTF8.self)))
            if let value = descend(parameter.node, bytes, from: end, &parameters) { return value }
            parameters.removeLast()
        }
        if let (name, value) = nodes[node].remainder {
            var last = bytes.count
            while bytes[last - 1] == slash { last -= 1 }
            parameters.append((name, String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<last]), as: UTF8.self)))
            return value
        }
        return nil
    }
}
