import KafkaProtocol
@testable import KafkaWire
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOEmbedded
import Testing

/// The channel handler on an EmbeddedChannel: framing, correlation, timeouts and closing,
/// with a virtual clock and no socket.
@Suite("Connection: channel handler")
struct ConnectionHandlerTests {
    /// Collects a future's outcome as soon as it completes (the embedded loop runs inline).
    final class Outcome: Sendable {
        private let box = NIOLockedValueBox<Result<ByteBuffer, any Error>?>(nil)

        init(_ future: EventLoopFuture<ByteBuffer>) {
            future.whenComplete { result in self.box.withLockedValue { $0 = result } }
        }

        var isComplete: Bool { box.withLockedValue { $0 != nil } }
        var body: ByteBuffer? { box.withLockedValue { try? $0?.get() } }
        var error: KafkaError? {
            box.withLockedValue { outcome in
                guard case .failure(let error) = outcome else { return nil }
                return error as? KafkaError
            }
        }
    }

    func makeChannel(requestTimeout: TimeAmount = .seconds(30)) throws -> EmbeddedChannel {
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: 1 << 16)))
        try channel.pipeline.syncOperations.addHandler(
            KafkaClientHandler(requestTimeout: requestTimeout, logger: ConnectionTestBroker.logger))
        try channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9092)).wait()
        return channel
    }

    /// Writes a Metadata request; returns its response's outcome.
    func send(_ channel: EmbeddedChannel, timeout: TimeAmount? = nil) throws -> Outcome {
        let frame = try RequestFrame(MetadataRequest(topics: []), version: 8, clientID: "test", allocator: channel.allocator)
        let promise = channel.eventLoop.makePromise(of: ByteBuffer.self)
        channel.writeAndFlush(OutboundRequest(frame: frame, response: promise, timeout: timeout), promise: nil)
        return Outcome(promise.futureResult)
    }

    /// The header of the next frame written to the broker.
    func written(_ channel: EmbeddedChannel) throws -> RequestHeader {
        var frame = try #require(try channel.readOutbound(as: ByteBuffer.self))
        let size = frame.readInteger(as: Int32.self)
        #expect(size.map(Int.init) == frame.readableBytes)
        return try RequestHeader(from: &frame)
    }

    func respond(_ channel: EmbeddedChannel, correlationID: Int32, body: [UInt8] = [7, 7]) throws {
        var frame = ByteBuffer()
        frame.writeInteger(Int32(4 + body.count))
        frame.writeInteger(correlationID)
        frame.writeBytes(body)
        try channel.writeInbound(frame)
    }

    @Test func framesRequestsWithIncreasingIDsAndMatchesResponses() throws {
        let channel = try makeChannel()
        let first = try send(channel)
        let second = try send(channel)
        let headers = [try written(channel), try written(channel)]
        #expect(headers.map(\.correlationID) == [0, 1])
        #expect(headers.allSatisfy { $0.apiKey == .metadata && $0.apiVersion == 8 && $0.clientID == "test" })
        try respond(channel, correlationID: 0, body: [1])
        #expect(first.body == ByteBuffer(bytes: [1]))
        #expect(!second.isComplete)
        try respond(channel, correlationID: 1, body: [2])
        #expect(second.body == ByteBuffer(bytes: [2]))
        #expect(channel.isActive)
    }

    @Test func aResponseOutOfOrderClosesTheConnectionAndFailsEverything() throws {
        let channel = try makeChannel()
        let first = try send(channel)
        let second = try send(channel)
        try respond(channel, correlationID: 1)
        #expect(first.error?.code == .protocolViolation)
        #expect(second.error?.code == .protocolViolation)
        #expect(!channel.isActive)
    }

    @Test func timeoutFailsTheRequestAndClosesTheConnection() throws {
        let channel = try makeChannel(requestTimeout: .seconds(1))
        let first = try send(channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(500))
        let second = try send(channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(400))
        #expect(!first.isComplete)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(200))
        #expect(first.error?.code == .timedOut)
        #expect(second.error?.code == .connectionClosed)
        #expect(second.error?.isRetriable == true)
        #expect(!channel.isActive)
    }

    @Test func answeredRequestsDoNotTimeOut() throws {
        let channel = try makeChannel(requestTimeout: .seconds(1))
        for id in Int32(0)..<5 {
            let outcome = try send(channel)
            channel.embeddedEventLoop.advanceTime(by: .milliseconds(800))
            try respond(channel, correlationID: id)
            #expect(outcome.body != nil)
        }
        channel.embeddedEventLoop.advanceTime(by: .seconds(5))
        #expect(channel.isActive)
    }

    @Test func aLongerOwnTimeoutDoesNotShieldLaterRequests() throws {
        let channel = try makeChannel(requestTimeout: .seconds(1))
        let join = try send(channel, timeout: .seconds(60))
        let heartbeat = try send(channel)
        channel.embeddedEventLoop.advanceTime(by: .milliseconds(1100))
        #expect(heartbeat.error?.code == .timedOut)
        #expect(join.error?.code == .connectionClosed)
    }

    @Test func peerCloseFailsOutstandingRequestsRetriably() throws {
        let channel = try makeChannel()
        let pending = try send(channel)
        channel.pipeline.fireChannelInactive()
        #expect(pending.error?.code == .connectionClosed)
        #expect(pending.error?.isRetriable == true)
    }

    @Test func oversizedResponseFrameIsAProtocolViolation() throws {
        let channel = try makeChannel()
        let pending = try send(channel)
        var frame = ByteBuffer()
        frame.writeInteger(Int32(1 << 20))
        try channel.writeInbound(frame)
        #expect(pending.error?.code == .protocolViolation)
        #expect(!channel.isActive)
    }

    @Test func gracefulCloseAnswersOutstandingThenCloses() throws {
        let channel = try makeChannel()
        let first = try send(channel)
        channel.pipeline.triggerUserOutboundEvent(KafkaClientHandler.CloseGracefully(), promise: nil)
        let refused = try send(channel)
        #expect(refused.error?.code == .connectionClosed)
        #expect(channel.isActive)
        try respond(channel, correlationID: 0)
        #expect(first.body != nil)
        #expect(!channel.isActive)
    }

    @Test func requestsWithoutResponseOnlyConsumeAnID() throws {
        let channel = try makeChannel()
        let frame = try RequestFrame(MetadataRequest(topics: []), version: 8, clientID: nil, allocator: channel.allocator)
        channel.writeAndFlush(OutboundRequest(frame: frame, response: nil), promise: nil)
        let answered = try send(channel)
        #expect(try written(channel).correlationID == 0)
        #expect(try written(channel).correlationID == 1)
        try respond(channel, correlationID: 1)
        #expect(answered.body != nil)
    }
}
