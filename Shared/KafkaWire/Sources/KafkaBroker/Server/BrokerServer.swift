import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
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
    private let reauthentications = NIOLockedValueBox(0)

    /// How many times a client re-authenticated on a SASL connection (KIP-368), since start.
    public var reauthenticationCount: Int { reauthentications.withLockedValue { $0 } }

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
        let tlsContext = try Self.makeTLSContext(configuration)
        var servers: [NIOAsyncChannel<AcceptedConnection, Never>] = []
        for (index, listener) in configuration.listeners.enumerated() {
            let server = try await bind(listener, tls: listener.securityProtocol.usesTLS ? tlsContext : nil)
            let port = server.channel.localAddress?.port ?? listener.port
            broker.endpoints.set(listener: index, host: listener.advertisedHost ?? listener.host, port: listener.advertisedPort ?? port)
            logger.info("Broker listening", metadata: [
                "kafka.listen": "\(listener.securityProtocol.rawValue)://\(listener.host):\(port)",
                "kafka.data_dir": "\(configuration.dataDirectory)",
            ])
            onListening(listener.host, port)
            servers.append(server)
        }
        let listening = servers

        await withDiscardingTaskGroup { group in
            group.addTask { await self.broker.runMaintenance() }
            await withGracefulShutdownHandler {
                await withDiscardingTaskGroup { listeners in
                    for (index, server) in listening.enumerated() {
                        listeners.addTask { await self.accept(on: server, listener: index) }
                    }
                }
            } onGracefulShutdown: {
                for server in listening { server.channel.close(promise: nil) }
            }
            group.cancelAll()
        }
        await broker.shutdown()
        logger.info("Broker stopped")
    }

    /// A connection as accepted: its channel, and on a SASL listener its frame cap.
    struct AcceptedConnection: Sendable {
        var channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>
        var frameLimit: UnauthenticatedFrameLimit?
    }

    private func bind(
        _ listener: BrokerListener, tls: NIOSSLContext?
    ) async throws -> NIOAsyncChannel<AcceptedConnection, Never> {
        let maxFrameBytes = configuration.maxFrameBytes
        let sasl = listener.securityProtocol.usesSASL
        let idle = TimeAmount.milliseconds(configuration.connectionsMaxIdleMilliseconds)
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelOption(.backlog, value: 256)
            .bind(host: listener.host, port: listener.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    // Set here, not as a child channel option: a child option's failure ends
                    // the whole listener, and some network stacks refuse this one (EACCES inside
                    // a podman bridge network on a gVisor host). A connection works without it.
                    try? channel.syncOptions?.setOption(.socketOption(.tcp_nodelay), value: 1)
                    try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: idle))
                    try channel.pipeline.syncOperations.addHandler(CloseWhenIdle())
                    if let tls {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls))
                    }
                    let frameLimit = sasl ? UnauthenticatedFrameLimit() : nil
                    if let frameLimit {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(
                            SaslFrameDecoder(frames: KafkaFrameDecoder(maxFrameBytes: maxFrameBytes), limit: frameLimit)))
                    } else {
                        try channel.pipeline.syncOperations.addHandler(
                            ByteToMessageHandler(KafkaFrameDecoder(maxFrameBytes: maxFrameBytes)))
                    }
                    return AcceptedConnection(
                        channel: try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel),
                        frameLimit: frameLimit)
                }
            }
    }

    /// Serves one listener's connections until it closes, then ends those still open.
    private func accept(on server: NIOAsyncChannel<AcceptedConnection, Never>, listener: Int) async {
        await withDiscardingTaskGroup { connections in
            do {
                try await server.executeThenClose { inbound in
                    for try await connection in inbound {
                        connections.addTask { await self.serve(connection.channel, listener: listener, frameLimit: connection.frameLimit) }
                    }
                }
            } catch {
                self.logger.error("Listener failed", metadata: ["error": "\(error)"])
            }
            connections.cancelAll()
        }
    }

    /// The TLS listeners' context, built once; nil when no listener uses TLS.
    static func makeTLSContext(_ configuration: BrokerConfiguration) throws -> NIOSSLContext? {
        guard configuration.listeners.contains(where: { $0.securityProtocol.usesTLS }) else { return nil }
        guard let tls = configuration.tls else {
            throw BrokerConfigurationError("a TLS listener needs a certificate and key (--ssl-certificate, --ssl-key)")
        }
        do {
            var settings = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMFile(tls.certificateFile).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(file: tls.keyFile, format: .pem)))
            if let clientCA = tls.clientCAFile {
                // Mutual TLS: a client certificate signed by this CA is required.
                settings.certificateVerification = .noHostnameVerification
                settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(clientCA))
            }
            return try NIOSSLContext(configuration: settings)
        } catch {
            throw BrokerConfigurationError("TLS certificate or key cannot be used: \(error)")
        }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>, listener: Int, frameLimit: UnauthenticatedFrameLimit?) async {
        let remote = connection.channel.remoteAddress
        let client = Broker.Client(host: remote?.ipAddress ?? "unknown", listener: listener)
        var session = SaslSession(required: configuration.listeners[listener].securityProtocol.usesSASL)
        var logger = self.logger
        logger[metadataKey: "kafka.client"] = "\(remote.map { "\($0)" } ?? "unknown")"
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    let before = (session.principal, session.reauthentications)
                    let response = try await broker.respond(to: frame, from: client, session: &session)
                    // Lifted before the answer goes out: the client's next request may be large.
                    if before.0 == nil, session.principal != nil { frameLimit?.lift() }
                    if let response { try await outbound.write(response) }
                    if session.reauthentications > before.1 { reauthentications.withLockedValue { $0 += 1 } }
                    Self.logAuthentication(before: before, session: session, logger: logger)
                    if session.closeAfterResponse {
                        logger.warning("Closing connection after a failed SASL exchange")
                        break
                    }
                }
            }
        } catch let error as Broker.RequestError {
            logger.warning("Closing connection after a bad request", metadata: ["error": "\(error)"])
        } catch let error as ProtocolError {
            logger.warning("Closing connection after bad framing", metadata: ["error": "\(error)"])
        } catch let error as NIOSSLError {
            logger.warning("TLS handshake or record failed", metadata: ["error": "\(error)"])
        } catch {
            logger.debug("Connection ended", metadata: ["error": "\(error)"])
        }
    }

    private static func logAuthentication(before: (SaslSession.Principal?, Int), session: SaslSession, logger: Logger) {
        guard let principal = session.principal else { return }
        let metadata: Logger.Metadata = ["kafka.user": "\(principal.user)", "kafka.sasl_mechanism": "\(principal.mechanism)"]
        if session.reauthentications > before.1 {
            logger.info("Client re-authenticated", metadata: metadata)
        } else if before.0 == nil {
            logger.info("Client authenticated", metadata: metadata)
        }
    }
}

/// Closes a connection that sent nothing for connections.max.idle.ms (IdleStateHandler's event).
final class CloseWhenIdle: ChannelInboundHandler, Sendable {
    typealias InboundIn = NIOAny

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if let event = event as? IdleStateHandler.IdleStateEvent, event == .read {
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }
}

/// A broker configuration that cannot work; the broker does not start.
public struct BrokerConfigurationError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
