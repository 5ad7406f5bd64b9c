/// What the host hands a plugin's `init`.
struct InitParameters: Sendable {
    var configJSON: String
    var basePath: String
    var configPaths: [String]
}
