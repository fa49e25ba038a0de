import KafkaProtocol
import Logging
import NIOCore
import NIOPosix

extension BrokerConnection {
    /// Opens a TCP connection and negotiates API versions.
    /// Throws `connectionFailed` (retriable) when the broker cannot be reached.
    public static func connect(
        to address: BrokerAddress, nodeID: Int32, configuration: KafkaClientConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> BrokerConnection {
        var logger = logger
        logger[metadataKey: "kafka.broker"] = "\(address)"
        logger[metadataKey: "kafka.node_id"] = "\(nodeID)"
        let channel: any Channel
        do {
            let maxFrameBytes = configuration.maxResponseBytes
            let timeout = TimeAmount(configuration.requestTimeout)
            let handlerLogger = logger
            channel = try await ClientBootstrap(group: eventLoopGroup)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: maxFrameBytes)))
                        try channel.pipeline.syncOperations.addHandler(
                            KafkaClientHandler(requestTimeout: timeout, logger: handlerLogger))
                    }
                }
                .connect(host: address.host, port: address.port).get()
        } catch {
            throw KafkaError(.connectionFailed, "cannot connect to \(address): \(Self.reason(error))")
        }
        // Small requests go out at once. Best effort: some network stacks refuse the option
        // (EACCES inside a podman bridge network on a gVisor host), and a connection without
        // it still works.
        try? await channel.setOption(.socketOption(.tcp_nodelay), value: 1).get()
        do {
            let versions = try await negotiateVersions(on: channel, clientID: configuration.clientID)
            logger.debug("Connected")
            return BrokerConnection(nodeID: nodeID, address: address, versions: versions, channel: channel, clientID: configuration.clientID)
        } catch {
            channel.close(promise: nil)
            throw error
        }
    }

    /// The last attempt's error, not NIO's summary of every address tried.
    private static func reason(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError, let last = error.connectionErrors.last { return "\(last.error)" }
        return "\(error)"
    }

    private static func negotiateVersions(on channel: any Channel, clientID: String) async throws -> NegotiatedVersions {
        var version = ApiVersionsNegotiation.firstVersion
        while true {
            let frame = try RequestFrame(ApiVersionsNegotiation.request(), version: version, clientID: clientID, allocator: channel.allocator)
            let body: ByteBuffer
            do {
                body = try await write(frame, on: channel).get()
            } catch {
                throw kafkaError(error)
            }
            switch try ApiVersionsNegotiation.interpret(body, requestedVersion: version) {
            case .negotiated(let versions): return versions
            case .retry(let next): version = next
            }
        }
    }
}
