import KafkaProtocol
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// The dev broker on TCP: accepts connections, frames requests, and answers each connection's
/// requests one at a time and in order (Kafka's per-connection ordering guarantee; clients
/// pipeline across connections and with several requests queued on one).
///
/// A connection that sends a malformed, oversized or unsupported request is closed with a log
/// line; no input on one connection affects any other.
public final class BrokerServer: Service {
    public let broker: Broker
    private let configuration: BrokerConfiguration
    private let logger: Logger
    private let group: any EventLoopGroup
    private let onListening: @Sendable (String, Int) -> Void

    /// - Parameter onListening: called once bound, with the host and port (useful with port 0).
    public init(
        configuration: BrokerConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
        onListening: @escaping @Sendable (String, Int) -> Void = { _, _ in }
    ) throws {
        self.configuration = configuration
        self.logger = logger
        self.group = eventLoopGroup
        self.onListening = onListening
        self.broker = try Broker(configuration: configuration, logger: logger)
    }

    public func run() async throws {
        let maxFrameBytes = configuration.maxFrameBytes
        let server = try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Set here, not as a child channel option: a child option's failure ends
                    // the whole listener, and some network stacks refuse this one (EACCES inside
                    // a podman bridge network on a gVisor host). A connection works without it.
                    try? channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                    try channel.pipeline.syncOperations.addHandler(
                        ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: maxFrameBytes)))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let port = server.channel.localAddress?.port ?? configuration.port
        broker.endpoint.set(host: configuration.advertisedHost ?? configuration.host, port: configuration.advertisedPort ?? port)
        logger.info("Broker listening", metadata: [
            "kafka.listen": "\(configuration.host):\(port)", "kafka.data_dir": "\(configuration.dataDirectory)",
        ])
        onListening(configuration.host, port)

        await withDiscardingTaskGroup { group in
            group.addTask { await self.broker.runMaintenance() }
            await withGracefulShutdownHandler {
                do {
                    try await server.executeThenClose { connections in
                        for try await connection in connections {
                            group.addTask { await self.serve(connection) }
                        }
                    }
                } catch {
                    self.logger.error("Listener failed", metadata: ["error": "\(error)"])
                }
            } onGracefulShutdown: {
                server.channel.close(promise: nil)
            }
            group.cancelAll()
        }
        await broker.shutdown()
        logger.info("Broker stopped")
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        let remote = connection.channel.remoteAddress
        let client = Broker.Client(host: remote?.ipAddress ?? "unknown")
        var logger = self.logger
        logger[metadataKey: "kafka.client"] = "\(remote.map { "\($0)" } ?? "unknown")"
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    if let response = try await broker.respond(to: frame, from: client) {
                        try await outbound.write(response)
                    }
                }
            }
        } catch let error as Broker.RequestError {
            logger.warning("Closing connection after a bad request", metadata: ["error": "\(error)"])
        } catch let error as ProtocolError {
            logger.warning("Closing connection after bad framing", metadata: ["error": "\(error)"])
        } catch {
            logger.debug("Connection ended", metadata: ["error": "\(error)"])
        }
    }
}
