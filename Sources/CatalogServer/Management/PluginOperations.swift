import CatalogJSON
import HTTPTypes

extension HostedPlugin {
    /// Calls one of the plugin's capability operations and returns its JSON answer. A plugin
    /// error keeps its status and message; no answer within the operation deadline is a 504.
    func operation(_ name: String, _ input: JSONValue = [:]) async throws -> JSONValue {
        let bytes = try JSONCoding.encode(input)
        switch await invoke(name, input: Array(bytes), deadline: deadlines.operation) {
        case .responded(let response) where (200..<300).contains(response.status):
            do {
                return try JSONCoding.decode(response.body)
            } catch {
                throw APIError(status: .badGateway, message: "plugin \"\(self.name)\" answered \(name) with invalid JSON")
            }
        case .responded(let response):
            let message = (try? JSONCoding.decode(response.body))?["error"]?.stringValue
                ?? "plugin \"\(self.name)\" failed \(name) with status \(response.status)"
            let status = (400...599).contains(response.status) ? HTTPResponse.Status(code: response.status) : .badGateway
            throw APIError(status: status, message: message)
        case .completed:
            throw APIError(status: .badGateway, message: "plugin \"\(self.name)\" answered \(name) with complete() instead of respond()")
        case .timedOut:
            throw APIError(status: .gatewayTimeout, message: "plugin \"\(self.name)\" did not answer \(name) within \(deadlines.operation)")
        }
    }
}
