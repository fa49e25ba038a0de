import KafkaProtocol
import NIOCore

/// A request ready for the wire: size prefix, header and body, with the correlation id left
/// for the channel handler to fill in (it owns the id sequence). Encoding happens on the
/// caller's thread, so the event loop only patches four bytes.
struct RequestFrame {
    /// Offset of the correlation id from the frame start: size (4), api key (2), version (2).
    static let correlationIDOffset = 8

    var buffer: ByteBuffer
    var apiKey: APIKey
    var apiVersion: Int16

    init<R: KafkaRequestMessage>(_ request: R, version: Int16, clientID: String?, allocator: ByteBufferAllocator) throws(KafkaError) {
        guard R.validVersions.contains(version) else {
            throw KafkaError(.unsupportedVersion, "\(R.apiKey.name) v\(version) is not a defined version")
        }
        var buffer = allocator.buffer(capacity: 128)
        buffer.writeInteger(Int32(0))
        RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationID: 0, clientID: clientID).encode(to: &buffer)
        do {
            try request.encode(to: &buffer, version: version)
        } catch {
            throw KafkaError(.protocolViolation, "cannot encode \(R.apiKey.name) v\(version): \(error)", retriable: false)
        }
        buffer.setInteger(Int32(buffer.readableBytes - 4), at: buffer.readerIndex)
        self.buffer = buffer
        self.apiKey = R.apiKey
        self.apiVersion = version
    }

    mutating func setCorrelationID(_ id: Int32) {
        buffer.setInteger(id, at: buffer.readerIndex + Self.correlationIDOffset)
    }
}

/// What the connection hands its channel handler: a frame, and where its response goes
/// (nil when the request gets none, as Produce with acks=0).
struct OutboundRequest {
    var frame: RequestFrame
    var response: EventLoopPromise<ByteBuffer>?
    /// Overrides the connection's request timeout (JoinGroup waits for a whole rebalance).
    var timeout: TimeAmount? = nil
    /// Written even while the handler holds requests back (the SASL requests of a re-authentication).
    var bypassesHold = false
}
