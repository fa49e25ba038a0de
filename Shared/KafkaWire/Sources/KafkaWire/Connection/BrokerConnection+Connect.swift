import KafkaProtocol
import Logging
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL

extension BrokerConnection {
    /// Opens a TCP connection, with TLS and SASL when the security configuration says so, and
    /// negotiates API versions. Throws `connectionFailed` (retriable) when the broker cannot be
    /// reached, and `tlsFailed` or `authenticationFailed` (final) when it refuses who we are.
    public static func connect(
        to address: BrokerAddress, nodeID: Int32, configuration: KafkaClientConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws -> BrokerConnection {
        var logger = logger
        logger[metadataKey: "kafka.broker"] = "\(address)"
        logger[metadataKey: "kafka.node_id"] = "\(nodeID)"
        let security = configuration.security
        let tlsContext = security.securityProtocol.usesTLS ? try TLSClientContext.make(security.tls) : nil
        let channel: any Channel
        let handshake: EventLoopPromise<Void>?
        let tlsError = NIOLockedValueBox<(any Error)?>(nil)
        do {
            let maxFrameBytes = configuration.maxResponseBytes
            let timeout = TimeAmount(configuration.requestTimeout)
            let handlerLogger = logger
            let eventLoop = eventLoopGroup.next()
            let promise = tlsContext.map { _ in eventLoop.makePromise(of: Void.self) }
            handshake = promise
            channel = try await ClientBootstrap(group: eventLoop)
                .connectTimeout(TimeAmount(configuration.connectTimeout))
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        if let tlsContext, let promise {
                            try channel.pipeline.syncOperations.addHandler(
                                NIOSSLClientHandler(context: tlsContext, serverHostname: TLSClientContext.serverName(for: address.host)))
                            try channel.pipeline.syncOperations.addHandler(TLSHandshakeObserver(handshake: promise, firstError: tlsError))
                        }
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
            if let handshake {
                try await awaitHandshake(handshake, on: channel, address: address, timeout: configuration.connectTimeout)
            }
            let versions: NegotiatedVersions
            do {
                versions = try await negotiateVersions(on: channel, clientID: configuration.clientID)
            } catch let error as KafkaError where error.code == .tlsFailed {
                throw KafkaError(.tlsFailed, "\(address) answered with TLS: it is a TLS listener, and security.protocol is \(security.securityProtocol.rawValue)")
            }
            var session: SaslAuthentication.Session?
            if let credentials = security.sasl {
                session = try await SaslAuthentication.authenticate(
                    on: channel, versions: versions, clientID: configuration.clientID, credentials: credentials)
            }
            logger.debug("Connected")
            let connection = BrokerConnection(
                nodeID: nodeID, address: address, versions: versions, channel: channel, clientID: configuration.clientID)
            if let credentials = security.sasl, let lifetime = session?.lifetime {
                connection.reauthenticate(within: lifetime, credentials: credentials, logger: logger)
            }
            return connection
        } catch {
            channel.close(promise: nil)
            // A TLS alert after the handshake (a refused client certificate under TLS 1.3)
            // surfaces as a closed connection; report it as what it is.
            if let failure = tlsError.withLockedValue({ $0 }), (error as? KafkaError)?.code != .authenticationFailed {
                throw KafkaError(.tlsFailed, "TLS with \(address) failed: \(Self.describeTLS(failure, host: address.host))")
            }
            throw error
        }
    }

    /// Waits for the TLS handshake, at most the connect timeout; its failure is final.
    private static func awaitHandshake(
        _ handshake: EventLoopPromise<Void>, on channel: any Channel, address: BrokerAddress, timeout: Duration
    ) async throws {
        let timer = channel.eventLoop.scheduleTask(in: TimeAmount(timeout)) {
            handshake.fail(KafkaError(.tlsFailed, "no TLS handshake with \(address) within \(timeout)"))
        }
        defer { timer.cancel() }
        do {
            try await handshake.futureResult.get()
        } catch let error as KafkaError {
            throw KafkaError(error.code, "\(address): \(error.message) (is it a TLS listener?)")
        } catch {
            throw KafkaError(.tlsFailed, "TLS handshake with \(address) failed: \(describeTLS(error, host: address.host))")
        }
    }

    /// swift-nio-ssl's errors, with the one that needs it said plainly.
    static func describeTLS(_ error: any Error, host: String) -> String {
        if let error = error as? NIOSSLExtraError, error == .failedToValidateHostname {
            return "the broker's certificate does not name \(host) (ssl.endpoint.identification.algorithm=https)"
        }
        return "\(error)"
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
