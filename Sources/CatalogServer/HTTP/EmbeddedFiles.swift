import HTTPTypes
import Hummingbird

/// The files compiled into the server (`Resources/`, embedded by SwiftPM): the OpenAPI document
/// of the server's own endpoints and the console's static files. Nothing is read from disk at
/// run time, so a copied binary serves them too.
enum EmbeddedFiles {
    /// One embedded file and the content type it is served with.
    struct File: Sendable {
        let bytes: [UInt8]
        let contentType: String

        /// The file as a `200` answer. Pages and scripts load only from this server
        /// (`Content-Security-Policy`), are never framed and never sniffed as another type.
        var response: Response {
            Response(
                status: .ok,
                headers: [
                    .contentType: contentType,
                    .cacheControl: "no-cache",
                    .contentSecurityPolicy: "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
                    .xContentTypeOptions: "nosniff",
                    .referrerPolicy: "no-referrer",
                ],
                body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
    }

    /// `GET /openapi.yaml`: the framework, management and catalog endpoints this project defines.
    static let openAPIDocument = File(bytes: PackageResources.openapi_yaml, contentType: "application/yaml; charset=utf-8")

    /// The console's files by name, served under `/console/`.
    static let console: [String: File] = [
        "index.html": File(bytes: PackageResources.index_html, contentType: "text/html; charset=utf-8"),
        "console.js": File(bytes: PackageResources.console_js, contentType: "text/javascript; charset=utf-8"),
        "console.css": File(bytes: PackageResources.console_css, contentType: "text/css; charset=utf-8"),
    ]
}

extension HTTPField.Name {
    static let contentSecurityPolicy = Self("Content-Security-Policy")!
    static let xContentTypeOptions = Self("X-Content-Type-Options")!
    static let referrerPolicy = Self("Referrer-Policy")!
}
