import ArgumentParser

/// A `HOST:PORT` listen address.
struct ListenAddress: Equatable {
    var host: String
    var port: Int

    /// Parses `127.0.0.1:8080`, `[::1]:8080`, `localhost:0` or `:8080` (all interfaces).
    init(parsing text: String) throws {
        guard let colon = text.lastIndex(of: ":") else {
            throw ValidationError("listen address \"\(text)\" must be HOST:PORT, e.g. 127.0.0.1:8080")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port) else {
            throw ValidationError("listen address \"\(text)\" needs a port from 0 to 65535")
        }
        self.host = host.isEmpty ? "0.0.0.0" : host
        self.port = port
    }
}
