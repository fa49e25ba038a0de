@testable import KafkaBroker
import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import Testing

/// The broker over real TCP: framing limits, bad input, and version negotiation.
@Suite("Broker server")
struct BrokerServerTests {
    /// Runs a broker on a free port for the duration of `body`.
    func withBroker(
        _ adjust: (inout BrokerConfiguration) -> Void = { _ in },
        _ body: (Int) async throws -> Void
    ) async throws {
        let dir = TemporaryDirectory()
        defer { dir.remove() }
        var configuration = BrokerConfiguration(dataDirectory: dir.path)
        configuration.port = 0
        configuration.groups.initialRebalanceDelayMilliseconds = 0
        adjust(&configuration)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = try BrokerServer(configuration: configuration, logger: .test) { _, port in continuation.yield(port) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            var iterator = ports.makeAsyncIterator()
            let port = try #require(await iterator.next())
            try await body(port)
            group.cancelAll()
        }
    }

    /// Sends raw bytes on a new connection and collects what comes back until the peer
    /// closes or `expectFrames` response frames arrived.
    func exchange(port: Int, send: ByteBuffer, expectFrames: Int) async throws -> (frames: [ByteBuffer], closed: Bool) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: 1 << 24)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(send)
            var frames: [ByteBuffer] = []
            if frames.count == expectFrames && expectFrames > 0 { return (frames, false) }
            for try await frame in inbound {
                frames.append(frame)
                if frames.count == expectFrames { return (frames, false) }
            }
            return (frames, true)
        }
    }

    func request<R: KafkaRequestMessage>(_ message: R, version: Int16, correlationID: Int32 = 1) throws -> ByteBuffer {
        var body = ByteBuffer()
        RequestHeader(apiKey: R.apiKey, apiVersion: version, correlationID: correlationID, clientID: "test").encode(to: &body)
        try message.encode(to: &body, version: version)
        var frame = ByteBuffer()
        frame.writeInteger(Int32(body.readableBytes))
        frame.writeBuffer(&body)
        return frame
    }

    @Test func answersApiVersionsAtEveryVersion() async throws {
        try await withBroker { port in
            for version in ApiVersionsRequest.validVersions {
                var frame = try await exchange(port: port, send: try request(ApiVersionsRequest(clientSoftwareName: "t", clientSoftwareVersion: "1"), version: version), expectFrames: 1).frames[0]
                let header = try ResponseHeader(from: &frame, apiKey: .apiVersions, apiVersion: version)
                #expect(header.correlationID == 1)
                let response = try ApiVersionsResponse(from: &frame, version: version)
                #expect(response.errorCode == 0)
                #expect(response.apiKeys.contains { $0.apiKey == APIKey.fetch.rawValue && $0.minVersion == 4 })
            }
        }
    }

    @Test func answersAnUnknownApiVersionsVersionWithV0AndItsVersions() async throws {
        try await withBroker { port in
            var frame = try await exchange(port: port, send: try request(ApiVersionsRequest(), version: 3).withVersion(99), expectFrames: 1).frames[0]
            _ = try ResponseHeader(from: &frame, apiKey: .apiVersions, apiVersion: 99)
            let response = try ApiVersionsResponse(from: &frame, version: 0)
            #expect(response.errorCode == KafkaErrorCode.unsupportedVersion.rawValue)
            #expect(response.apiKeys.contains { $0.apiKey == APIKey.apiVersions.rawValue && $0.maxVersion == ApiVersionsRequest.validVersions.upperBound })
        }
    }

    @Test func closesOnlyTheOffendingConnection() async throws {
        try await withBroker { port in
            // A 2 GiB length prefix: refused before any buffering, connection closed.
            var huge = ByteBuffer()
            huge.writeInteger(Int32.max)
            huge.writeBytes([1, 2, 3])
            #expect(try await exchange(port: port, send: huge, expectFrames: 1).closed)
            // A negative length.
            var negative = ByteBuffer()
            negative.writeInteger(Int32(-5))
            #expect(try await exchange(port: port, send: negative, expectFrames: 1).closed)
            // A valid size with a truncated Metadata body.
            var truncated = try request(MetadataRequest(topics: [.init(name: "abc")]), version: 9)
            truncated.moveWriterIndex(to: truncated.writerIndex - 3)
            truncated.setInteger(Int32(truncated.readableBytes - 4), at: 0)
            #expect(try await exchange(port: port, send: truncated, expectFrames: 1).closed)
            // An unknown API key.
            var unknown = ByteBuffer()
            unknown.writeInteger(Int32(10))
            unknown.writeInteger(Int16(9999))
            unknown.writeBytes([0, 0, 0, 0, 0, 1, 0, 0])
            #expect(try await exchange(port: port, send: unknown, expectFrames: 1).closed)
            // The broker still serves everyone else.
            var frame = try await exchange(port: port, send: try request(MetadataRequest(topics: nil), version: 12), expectFrames: 1).frames[0]
            _ = try ResponseHeader(from: &frame, apiKey: .metadata, apiVersion: 12)
            let metadata = try MetadataResponse(from: &frame, version: 12)
            #expect(metadata.brokers.first?.port == Int32(port))
        }
    }

    @Test func honoursVersionCaps() async throws {
        try await withBroker({ $0.maxVersions = [.fetch: 4, .metadata: 1] }) { port in
            var frame = try await exchange(port: port, send: try request(ApiVersionsRequest(), version: 2), expectFrames: 1).frames[0]
            _ = try ResponseHeader(from: &frame, apiKey: .apiVersions, apiVersion: 2)
            let response = try ApiVersionsResponse(from: &frame, version: 2)
            #expect(response.apiKeys.first { $0.apiKey == APIKey.fetch.rawValue }?.maxVersion == 4)
            #expect(response.apiKeys.first { $0.apiKey == APIKey.metadata.rawValue }?.maxVersion == 1)
            // A request above the cap is refused by closing, as Kafka does.
            #expect(try await exchange(port: port, send: try request(MetadataRequest(), version: 5), expectFrames: 1).closed)
        }
    }
}

extension ByteBuffer {
    /// Rewrites the api version of a framed request (bytes 6-7 after the size).
    func withVersion(_ version: Int16) -> ByteBuffer {
        var copy = self
        copy.setInteger(version, at: copy.readerIndex + 6)
        return copy
    }
}
