import Foundation

/// A `multipart/form-data` request body (RFC 7578), split into its named parts.
///
/// ```swift
/// let form = try MultipartForm(request)
/// guard let config = form["config"] else { throw PluginError.badRequest("config file is required") }
/// ```
///
/// Bounded: at most ``maximumParts`` parts with ``maximumHeaderBytes`` of headers each, found
/// in linear time; the body itself is bounded by the host (4 MiB).
public struct MultipartForm: Sendable {
    /// Parts one body may have.
    public static let maximumParts = 16
    /// Bytes of headers one part may have.
    public static let maximumHeaderBytes = 8 * 1024

    /// One part of the form.
    public struct Part: Sendable {
        /// The form field's name, from `Content-Disposition`.
        public var name: String
        /// The part's bytes.
        public var body: [UInt8]
    }

    /// The parts, in the order of the body.
    public var parts: [Part]

    /// The first part called `name`.
    ///
    /// - Parameter name: The form field's name.
    /// - Returns: The part, or `nil` when the form has none of that name.
    public subscript(name: String) -> Part? {
        parts.first { $0.name == name }
    }

    /// Splits the body of `request`.
    ///
    /// - Parameter request: A request with `Content-Type: multipart/form-data; boundary=…`.
    /// - Throws: ``PluginError`` (400) naming what is malformed.
    public init(_ request: PluginRequest) throws {
        guard let contentType = request.headers["content-type"],
            contentType.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() == "multipart/form-data"
        else { throw PluginError.badRequest("the body must be multipart/form-data") }
        guard let boundary = Self.parameter("boundary", in: contentType), !boundary.isEmpty, boundary.utf8.count <= 200 else {
            throw PluginError.badRequest("the multipart/form-data Content-Type has no boundary")
        }
        parts = try Self.parts(of: request.body, boundary: Array(("--" + boundary).utf8))
    }

    private static func parts(of body: [UInt8], boundary: [UInt8]) throws -> [Part] {
        guard var position = find(boundary, in: body, from: 0) else { throw PluginError.badRequest("the multipart body has no part") }
        var parts: [Part] = []
        let headerEnd: [UInt8] = Array("\r\n\r\n".utf8)
        let separator: [UInt8] = Array("\r\n".utf8) + boundary
        while true {
            position += boundary.count
            if body[position...].starts(with: Array("--".utf8)) { return parts }
            guard body[position...].starts(with: Array("\r\n".utf8)) else { throw PluginError.badRequest("malformed multipart boundary line") }
            position += 2
            guard parts.count < maximumParts else { throw PluginError.badRequest("the multipart body has more than \(maximumParts) parts") }
            guard let end = find(headerEnd, in: body, from: position), end - position <= maximumHeaderBytes else {
                throw PluginError.badRequest("a multipart part's headers are malformed or longer than \(maximumHeaderBytes) bytes")
            }
            let headers = String(decoding: body[position..<end], as: UTF8.self)
            guard let next = find(separator, in: body, from: end + headerEnd.count) else {
                throw PluginError.badRequest("the multipart body ends without its closing boundary")
            }
            parts.append(try part(headers: headers, body: Array(body[(end + headerEnd.count)..<next])))
            position = next + 2
        }
    }

    private static func part(headers: String, body: [UInt8]) throws -> Part {
        var disposition: String?
        for line in headers.split(separator: "\r\n") {
            guard let colon = line.firstIndex(of: ":") else { throw PluginError.badRequest("malformed multipart header line") }
            if line[..<colon].lowercased() == "content-disposition" {
                disposition = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        guard let disposition, disposition.lowercased().hasPrefix("form-data"), let name = parameter("name", in: disposition) else {
            throw PluginError.badRequest("a multipart part has no Content-Disposition: form-data with a name")
        }
        return Part(name: name, body: body)
    }

    /// The value of `; name=value` or `; name="value"` in a header.
    private static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard pair.count == 2, pair[0].lowercased() == name else { continue }
            var value = pair[1]
            if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") {
                value = String(value.dropFirst().dropLast()).replacingOccurrences(of: "\\\"", with: "\"")
            }
            return value
        }
        return nil
    }

    /// The index of the first `needle` in `haystack` at or after `start`: Knuth–Morris–Pratt,
    /// linear in the body whatever the boundary (a plain scan with a 200-byte boundary of dashes
    /// is not).
    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, start <= haystack.count else { return nil }
        var fallback = [Int](repeating: 0, count: needle.count)
        var length = 0
        for index in 1..<max(needle.count, 1) {
            while length > 0 && needle[index] != needle[length] { length = fallback[length - 1] }
            if needle[index] == needle[length] { length += 1 }
            fallback[index] = length
        }
        return haystack.withUnsafeBufferPointer { bytes in
            var matched = 0
            for index in start..<bytes.count {
                while matched > 0 && bytes[index] != needle[matched] { matched = fallback[matched - 1] }
                if bytes[index] == needle[matched] { matched += 1 }
                if matched == needle.count { return index - needle.count + 1 }
            }
            return nil
        }
    }
}
