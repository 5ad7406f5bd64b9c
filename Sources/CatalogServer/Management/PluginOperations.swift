import CatalogJSON
import HTTPTypes

extension HostedPlugin {
    /// Calls one of the plugin's capability operations and returns its JSON answer. A plugin
    /// error keeps its status and message; no answer within the operation deadline is a 504.
    func operation(_ name: String, _ input: JSONValue = [:]) async throws -> JSONValue {
        let bytes = try JSONCoding.encode(input)
        let response = try await invoke(name, input: Array(bytes), deadline: deadlines.operation)
            .response(plugin: self.name, call: name, deadline: deadlines.operation).get()
        guard (200..<300).contains(response.status) else {
            let message = (try? JSONCoding.decode(response.bodyBytes))?["error"]?.stringValue
                ?? "plugin \"\(self.name)\" failed \(name) with status \(response.status)"
            let status = (400...599).contains(response.status) ? HTTPResponse.Status(code: response.status) : .badGateway
            throw APIError(status: status, message: message)
        }
        do {
            return try JSONCoding.decode(response.bodyBytes)
        } catch {
            throw APIError(status: .badGateway, message: "plugin \"\(self.name)\" answered \(name) with invalid JSON")
        }
    }
}
