import AsyncHTTPClient
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import OrderCommand

/// A forwarded command whose answer never came may have taken effect at the owner: only a
/// failure to connect proves it did not (`unavailable`); anything else is `outcome-unknown`.
@Suite struct ForwarderTests {
    @Test func failuresToConnectShowTheRequestWasNeverSent() {
        #expect(Forwarder.neverSent(HTTPClientError.connectTimeout))
        #expect(Forwarder.neverSent(HTTPClientError.tlsHandshakeTimeout))
        #expect(Forwarder.neverSent(ChannelError.connectTimeout(.seconds(1))))
        #expect(Forwarder.neverSent(IOError(errnoCode: ECONNREFUSED, reason: "connect")))
    }

    @Test func failuresAfterConnectingLeaveTheOutcomeUnknown() {
        #expect(!Forwarder.neverSent(HTTPClientError.readTimeout))
        #expect(!Forwarder.neverSent(HTTPClientError.deadlineExceeded))
        #expect(!Forwarder.neverSent(HTTPClientError.remoteConnectionClosed))
        #expect(!Forwarder.neverSent(IOError(errnoCode: ECONNRESET, reason: "read")))
        #expect(!Forwarder.neverSent(CancellationError()))
    }

    @Test func aRefusedConnectionToARealPortIsNeverSent() async throws {
        // A port that was just free: connecting is refused at once.
        let group = MultiThreadedEventLoopGroup.singleton
        let channel = try await ServerBootstrap(group: group).bind(host: "127.0.0.1", port: 0).get()
        let port = try #require(channel.localAddress?.port)
        try await channel.close()
        let client = HTTPClient(eventLoopGroup: group)
        do {
            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/orders"), timeout: .seconds(5))
            Issue.record("nothing listens there")
        } catch {
            #expect(Forwarder.neverSent(error), "\(error)")
        }
        try await client.shutdown()
    }
}
