/// One HTTP answer of the admin server: status, content type and body; the server adds the framing headers.
public struct AdminResponse: Sendable, Hashable {
    /// The HTTP status code (100–599; anything else goes out as 500).
    public var status: Int
    /// The value of the Content-Type header.
    public var contentType: String
    /// The body bytes; sent with a Content-Length, never chunked.
    public var body: [UInt8]

    /// A response with a raw body.
    public init(status: Int, contentType: String, body: [UInt8]) {
        self.status = status
        self.contentType = contentType
        self.body = body
    }

    /// A response whose body is `text` in UTF-8.
    public init(status: Int, contentType: String, body: String) {
        self.init(status: status, contentType: contentType, body: Array(body.utf8))
    }

    /// The body decoded as UTF-8 (invalid sequences replaced), for logs and tests.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// A JSON response; `text` must already be JSON.
    public static func json(_ text: String, status: Int = 200) -> AdminResponse {
        AdminResponse(status: status, contentType: "application/json", body: text)
    }

    /// A plain-text response in UTF-8.
    public static func text(_ text: String, status: Int = 200) -> AdminResponse {
        AdminResponse(status: status, contentType: "text/plain; charset=utf-8", body: text)
    }

    /// A Prometheus text exposition (format 0.0.4), as scrapers expect it from /metrics.
    public static func prometheus(_ text: String, status: Int = 200) -> AdminResponse {
        AdminResponse(status: status, contentType: "text/plain; version=0.0.4; charset=utf-8", body: text)
    }
}

extension AdminResponse {
    /// The server's own error answers: a fixed JSON message, never echoing client input (no escaping needed).
    static func error(_ message: StaticString, status: Int) -> AdminResponse {
        .json("{\"error\":\"\(message)\"}", status: status)
    }
}
