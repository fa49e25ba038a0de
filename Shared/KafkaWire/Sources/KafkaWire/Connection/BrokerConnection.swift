import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore

/// One TCP connection to one broker, with the API versions negotiated when it opened.
///
/// Requests may be pipelined: `enqueue` writes at once (calls made one after another are
/// written in that order) and returns the response to await later. A request without a
/// response within the configured request timeout fails with `timedOut` and closes the
/// connection (later responses would be out of step), failing everything else outstanding
/// with a retriable `connectionClosed`.
public final class BrokerConnection: Sendable {
    /// The broker's node id; negative for a bootstrap connection made before metadata was known.
    public let nodeID: Int32
    public let address: BrokerAddress
    public let versions: NegotiatedVersions
    let channel: any Channel
    let clientID: String
    /// Set by `closeGracefully`: the channel stays open for outstanding responses only.
    private let draining = NIOLockedValueBox(false)

    init(nodeID: Int32, address: BrokerAddress, versions: NegotiatedVersions, channel: any Channel, clientID: String) {
        self.nodeID = nodeID
        self.address = address
        self.versions = versions
        self.channel = channel
        self.clientID = clientID
    }

    /// True once closed, or closing gracefully (no new requests are accepted).
    public var isClosed: Bool { draining.withLockedValue { $0 } || !channel.isActive }

    /// Writes now (calls made one after another are written in that order); the response is
    /// awaited separately. Lets callers pipeline. `timeout` overrides the configured request
    /// timeout for this request (JoinGroup must outlast a rebalance).
    public func enqueue<R: KafkaRequestMessage>(_ request: R, version: Int16, timeout: Duration? = nil) -> PendingResponse<R.Response> {
        let frame: RequestFrame
        do {
            frame = try RequestFrame(request, version: version, clientID: clientID, allocator: channel.allocator)
        } catch {
            return PendingResponse(failed: error)
        }
        let future = Self.write(frame, on: channel, timeout: timeout.map(TimeAmount.init))
        return PendingResponse(future) { body throws(KafkaError) in
            try PendingResponse<R.Response>.decode(body, version: version)
        }
    }

    /// Writes a request that gets no response (Produce with acks=0); waits until written.
    public func sendWithoutResponse<R: KafkaRequestMessage>(_ request: R, version: Int16) async throws {
        let frame = try RequestFrame(request, version: version, clientID: clientID, allocator: channel.allocator)
        do {
            try await channel.writeAndFlush(OutboundRequest(frame: frame, response: nil))
        } catch {
            throw Self.kafkaError(error)
        }
    }

    /// Sends and waits for the response; at the highest negotiated version unless `version` is given.
    public func send<R: KafkaRequestMessage>(_ request: R, version: Int16? = nil, timeout: Duration? = nil) async throws -> R.Response {
        let version = try version ?? versions.version(for: R.apiKey)
        return try await enqueue(request, version: version, timeout: timeout).get()
    }

    /// Closes now; outstanding requests fail with a retriable `connectionClosed`.
    public func close() {
        channel.close(promise: nil)
    }

    /// Stops accepting requests and closes once the outstanding ones are answered.
    public func closeGracefully() {
        draining.withLockedValue { $0 = true }
        channel.triggerUserOutboundEvent(KafkaClientHandler.CloseGracefully(), promise: nil)
    }

    /// Writes a frame that expects a response; the future holds the body after the correlation id.
    static func write(
        _ frame: RequestFrame, on channel: any Channel, timeout: TimeAmount? = nil, bypassesHold: Bool = false
    ) -> EventLoopFuture<ByteBuffer> {
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        let request = OutboundRequest(frame: frame, response: promise, timeout: timeout, bypassesHold: bypassesHold)
        channel.writeAndFlush(request).whenFailure { error in
            // Written on a closed channel the handler may be gone; completing twice is a no-op.
            promise.fail(kafkaError(error))
        }
        return promise.futureResult
    }

    static func kafkaError(_ error: any Error) -> KafkaError {
        if let error = error as? KafkaError { return error }
        return KafkaError(.connectionClosed, "\(error)")
    }
}

extension BrokerConnection: CustomStringConvertible {
    public var description: String { "node \(nodeID) (\(address))" }
}

extension BrokerConnection {
    /// Returns once the connection has closed (for whatever reason).
    public func channelClosed() async throws {
        try await channel.closeFuture.get()
    }
}
