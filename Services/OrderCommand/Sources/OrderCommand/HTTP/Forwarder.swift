import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix

/// Sends a command to the instance that owns its partition, once, and relays the answer.
/// The forwarded request carries `Orders-Forwarded-By`, so the owner never forwards it again.
struct Forwarder: Sendable {
    let client: HTTPClient
    let selfURL: String
    let timeout: Duration
    let logger: Logger

    func forward(_ request: Request, path: String, body: ByteBuffer, commandId: String, to owner: String) async throws(Problem) -> Response {
        var outgoing = HTTPClientRequest(url: owner + path)
        outgoing.method = .init(rawValue: request.method.rawValue)
        outgoing.headers.add(name: "Content-Type", value: "application/json")
        outgoing.headers.add(name: "Idempotency-Key", value: commandId)
        // The caller's token goes along: the owner authenticates and authorizes it again.
        for name in [HTTPField.Name.ifMatch, .traceparent, .authorization] {
            if let value = request.headers[name] { outgoing.headers.add(name: name.rawName, value: value) }
        }
        outgoing.headers.add(name: HTTPField.Name.forwardedBy.rawName, value: selfURL)
        if body.readableBytes > 0 { outgoing.body = .bytes(body) }
        do {
            let response = try await client.execute(outgoing, timeout: TimeAmount(timeout))
            let responseBody = try await response.body.collect(upTo: 1 << 20)
            var headers = HTTPFields()
            for (name, value) in response.headers {
                guard let field = HTTPField.Name(name), [.contentType, .eTag, .location, .retryAfter].contains(field) else { continue }
                headers.append(HTTPField(name: field, value: value))
            }
            return Response(status: .init(code: Int(response.status.code)), headers: headers, body: .init(byteBuffer: responseBody))
        } catch {
            logger.warning("Forwarding failed", metadata: ["owner": "\(owner)", "error": "\(error)"])
            if Self.neverSent(error) {
                throw Problem(.unavailable, "the owner of this order's partition (\(owner)) cannot be reached; nothing was appended")
            }
            // The owner may have taken the command and appended its event: only a retry with
            // the same key can tell (the owner answers it from the log).
            throw Problem(.outcomeUnknown, "the owner of this order's partition (\(owner)) did not answer (\(error)); the command may or may not have taken effect, retry with the same Idempotency-Key")
        }
    }

    /// Whether a forwarding failure shows that the request never reached the owner (no
    /// connection was made), so that the command cannot have taken effect there.
    static func neverSent(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError:
            return [.connectTimeout, .socksHandshakeTimeout, .tlsHandshakeTimeout].contains(error)
        case is NIOConnectionError:
            return true
        case let error as ChannelError:
            if case .connectTimeout = error { return true }
            return false
        case let error as IOError:
            return [ECONNREFUSED, EHOSTUNREACH, ENETUNREACH].contains(error.errnoCode)
        default:
            return false
        }
    }
}
