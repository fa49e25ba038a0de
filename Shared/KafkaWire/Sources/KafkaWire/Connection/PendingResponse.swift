import KafkaProtocol
import NIOCore

/// A request that has been written (or failed to be); `get()` waits for and decodes its response.
/// Decoding runs in the awaiting task, not on the event loop.
public struct PendingResponse<Response: Sendable>: Sendable {
    private enum Source: Sendable {
        case future(EventLoopFuture<ByteBuffer>, @Sendable (ByteBuffer) throws(KafkaError) -> Response)
        case failed(KafkaError)
    }

    private let source: Source

    init(_ future: EventLoopFuture<ByteBuffer>, decode: @escaping @Sendable (ByteBuffer) throws(KafkaError) -> Response) {
        self.source = .future(future, decode)
    }

    init(failed error: KafkaError) {
        self.source = .failed(error)
    }

    public func get() async throws -> Response {
        switch source {
        case .failed(let error):
            throw error
        case .future(let future, let decode):
            let body: ByteBuffer
            do {
                body = try await future.get()
            } catch let error as KafkaError {
                throw error
            } catch {
                throw KafkaError(.connectionClosed, "\(error)")
            }
            return try decode(body)
        }
    }
}

extension PendingResponse where Response: KafkaResponseMessage {
    /// Decodes a response body (after the correlation id): the rest of the header, then the message.
    static func decode(_ body: ByteBuffer, version: Int16) throws(KafkaError) -> Response {
        var body = body
        do {
            _ = try ResponseHeader(remainderOf: &body, apiKey: Response.apiKey, apiVersion: version)
            return try Response(from: &body, version: version)
        } catch {
            throw KafkaError(.protocolViolation, "\(Response.apiKey.name) v\(version) response: \(error)")
        }
    }
}

extension ResponseHeader {
    /// Reads what follows the correlation id (tagged fields in header v1); the handler has
    /// already consumed the id to match the response.
    fileprivate init(remainderOf buffer: inout ByteBuffer, apiKey: APIKey, apiVersion: Int16) throws {
        self.init(correlationID: 0)
        if Self.headerVersion(apiKey: apiKey, apiVersion: apiVersion) >= 1 {
            unknownTaggedFields = try buffer.readTaggedFields { _, _ in false }
        }
    }
}
