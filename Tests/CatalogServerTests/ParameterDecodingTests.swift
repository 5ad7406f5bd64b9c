import Testing

@testable import CatalogServer

/// Query and path parameters are decoded once, the same whether or not they need it.
@Suite("Parameter decoding")
struct ParameterDecodingTests {
    @Test func queryParametersDecodeAsFormValues() throws {
        let decoded = try PluginMount.queryParameters("a=b+c&d=%41%2B&plain=value&flag&=empty&e=%C3%A9")
        #expect(decoded.map { "\($0.0)=\($0.1)" } == ["a=b c", "d=A+", "plain=value", "flag=", "=empty", "e=é"])
        #expect(try PluginMount.queryParameters("").isEmpty)
        #expect(try PluginMount.queryParameters("&&a==b=&x&").map { "\($0.0)|\($0.1)" } == ["a|=b=", "x|"])
        #expect(try PluginMount.queryParameters("q=%C3%A9t%C3%A9&n=\u{301}").map { "\($0.0)=\($0.1)" } == ["q=été", "n=\u{301}"])
        #expect(throws: APIError.self) { try PluginMount.queryParameters("a=%zz") }
        #expect(throws: APIError.self) { try PluginMount.queryParameters("a=%00") }
    }

    @Test func pathParametersArePercentDecoded() throws {
        #expect(try PathParameter.decoded("plain-name", name: "name") == "plain-name")
        #expect(try PathParameter.decoded("org%2Fmodel+1", name: "name") == "org/model+1")
        #expect(throws: APIError.self) { try PathParameter.decoded("bad%zz", name: "name") }
        #expect(throws: APIError.self) { try PathParameter.decoded("nul%00", name: "name") }
    }
}
