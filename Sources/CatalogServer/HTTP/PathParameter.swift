/// A path parameter as every handler receives it — a plugin's, the management API's:
/// percent-decoded once, and refused with a 400 when the escape is malformed or decodes to a
/// NUL byte (which a plugin could not receive in a C string).
enum PathParameter {
    /// `raw` percent-decoded.
    ///
    /// - Parameters:
    ///   - raw: The parameter as matched in the path.
    ///   - name: The parameter's name, for the message.
    static func decoded(_ raw: some StringProtocol, name: some StringProtocol) throws -> String {
        // Most parameters have no escape at all: Foundation's decoding is the costly part.
        let text = String(raw)
        guard let decoded = text.utf8.contains(UInt8(ascii: "%")) ? text.removingPercentEncoding : text else {
            throw APIError.badRequest("path parameter \(name) has a malformed percent-encoding: \(raw)")
        }
        guard !decoded.utf8.contains(0) else {
            throw APIError.badRequest("path parameter \(name) contains a NUL byte (%00), which a plugin cannot receive")
        }
        return decoded
    }
}
