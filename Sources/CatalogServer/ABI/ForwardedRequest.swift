import CCatalogPlugin

/// A request on its way to a plugin's `handle_request`, as Swift values.
struct ForwardedRequest: Sendable {
    var routeID: UInt32
    var method: String
    var path: String
    var query: String
    var pathParameters: [(String, String)]
    var queryParameters: [(String, String)]
    var headers: [(String, String)]
    var body: [UInt8]

    /// The bytes the C copies of the request's strings take: one block for all of them.
    var cBytes: Int {
        CStringStorage.bytes(for: method) + CStringStorage.bytes(for: path) + CStringStorage.bytes(for: query)
            + CStringStorage.bytes(forPairs: pathParameters) + CStringStorage.bytes(forPairs: queryParameters)
            + CStringStorage.bytes(forPairs: headers)
    }

    /// The request with its strings copied into `storage`, valid while it lives; without the body.
    func cRequest(in storage: CStringStorage) -> catalog_request {
        var request = catalog_request()
        request.struct_size = UInt32(MemoryLayout<catalog_request>.size)
        request.route_id = routeID
        request.method = storage.string(method)
        request.path = storage.string(path)
        request.query = storage.string(query)
        request.path_params = storage.pairs(pathParameters)
        request.path_param_count = pathParameters.count
        request.query_params = storage.pairs(queryParameters)
        request.query_param_count = queryParameters.count
        request.headers = storage.pairs(headers)
        request.header_count = headers.count
        return request
    }

    /// Calls `body` with a `catalog_request` whose pointers stay valid until it returns.
    func withCRequest<Result>(_ call: (UnsafePointer<catalog_request>) -> Result) -> Result {
        let storage = CStringStorage(reserving: cBytes)
        return body.withUnsafeBufferPointer { bytes in
            var request = cRequest(in: storage)
            request.body = bytes.isEmpty ? nil : bytes.baseAddress
            request.body_length = bytes.count
            return withExtendedLifetime(storage) { call(&request) }
        }
    }
}
