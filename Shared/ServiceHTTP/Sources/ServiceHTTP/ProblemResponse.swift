import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// An RFC 9457 problem body: `type` = `/problems/<kind>`, `title`, `status`, `detail`, plus the
/// extensions a kind carries. Each service names its own kinds; the shape is shared.
public enum ProblemResponse {
    public enum Value: Sendable, Encodable, Equatable {
        case string(String)
        case int(Int64)

        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            switch self {
            case .string(let value): try container.encode(value)
            case .int(let value): try container.encode(value)
            }
        }
    }

    /// The response; a 503 carries `Retry-After` (a client should come back, not give up).
    public static func make(
        kind: String, title: String, status: HTTPResponse.Status, detail: String,
        extensions: [String: Value] = [:], retryAfterSeconds: Int = 1
    ) -> Response {
        var body = extensions
        body["type"] = .string("/problems/\(kind)")
        body["title"] = .string(title)
        body["status"] = .int(Int64(status.code))
        body["detail"] = .string(detail)
        var headers: HTTPFields = [.contentType: "application/problem+json"]
        if status == .serviceUnavailable { headers[.retryAfter] = "\(retryAfterSeconds)" }
        return Response(status: status, headers: headers, body: .init(byteBuffer: jsonBuffer(body)))
    }
}

/// Sorted-key JSON of an encodable value (our own types always encode).
public func jsonBuffer(_ value: some Encodable) -> ByteBuffer {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return ByteBuffer(data: (try? encoder.encode(value)) ?? Data("{}".utf8))
}

/// A 200 JSON response of an encodable value.
public func jsonResponse(_ value: some Encodable, status: HTTPResponse.Status = .ok, headers extra: HTTPFields = [:]) -> Response {
    var headers: HTTPFields = [.contentType: "application/json"]
    headers.append(contentsOf: extra)
    return Response(status: status, headers: headers, body: .init(byteBuffer: jsonBuffer(value)))
}

/// A client's value echoed in a problem's detail: quoted, and cut at 80 characters.
public func quoted(_ text: String) -> String {
    text.count > 80 ? "\"\(text.prefix(80))…\"" : "\"\(text)\""
}
