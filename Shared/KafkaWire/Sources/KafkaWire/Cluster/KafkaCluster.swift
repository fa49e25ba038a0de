import KafkaProtocol
import Logging
import Metrics
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix

/// A client's view of one Kafka cluster: connections (one per broker), cached metadata and
/// group coordinators. Producer, consumer and admin share one.
///
/// Connections open on first use and again after they close, waiting out an exponential
/// backoff after failed attempts. Before metadata is known, requests go to the bootstrap
/// servers (connections with negative node ids, -1 for the first server).
public final class KafkaCluster: Sendable {
    public let configuration: KafkaClientConfiguration
    let logger: Logger
    let eventLoopGroup: any EventLoopGroup
    let state: NIOLockedValueBox<State>
    let metrics: ClusterMetrics
    /// The time cached metadata ages by (metadataMaxAge): the continuous clock, or a test's
    /// manual one.
    let metadataClock: @Sendable () -> ContinuousClock.Instant

    struct State {
        var isShutdown = false
        var connections: [Int32: ConnectionSlot] = [:]
        var backoffs: [Int32: ReconnectBackoff] = [:]
        /// Every broker address learnt, from metadata and FindCoordinator.
        var addresses: [Int32: BrokerAddress] = [:]
        var metadata = MetadataCache()
        var coordinators: [String: Int32] = [:]
        var metadataFetches: [MetadataQuestion: Task<ClusterMetadata, any Error>] = [:]
    }

    /// What a Metadata request asks, to share one answer among callers asking the same.
    struct MetadataQuestion: Hashable {
        var topics: Set<String>?
        var autoCreate: Bool
    }

    enum ConnectionSlot {
        case connecting(Task<BrokerConnection, any Error>)
        case connected(BrokerConnection)
    }

    public convenience init(
        configuration: KafkaClientConfiguration, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) {
        self.init(configuration: configuration, logger: logger, eventLoopGroup: eventLoopGroup, metadataClock: { .now })
    }

    /// `metadataClock` tells the metadata cache the time; tests pass a clock they advance.
    init(
        configuration: KafkaClientConfiguration, logger: Logger, eventLoopGroup: any EventLoopGroup,
        metadataClock: @escaping @Sendable () -> ContinuousClock.Instant
    ) {
        self.configuration = configuration
        self.logger = logger
        self.eventLoopGroup = eventLoopGroup
        self.metadataClock = metadataClock
        var state = State()
        for (index, address) in configuration.bootstrapServers.enumerated() {
            state.addresses[Self.bootstrapNodeID(index)] = address
        }
        self.state = NIOLockedValueBox(state)
        self.metrics = ClusterMetrics()
    }

    static func bootstrapNodeID(_ index: Int) -> Int32 { -1 - Int32(index) }

    /// Sends to broker `node` at the highest negotiated version unless `version` is given.
    /// Not retried: the caller knows whether its request is safe to repeat. `timeout`
    /// overrides the configured request timeout for this request.
    public func send<R: KafkaRequestMessage>(_ request: R, to node: Int32, version: Int16? = nil, timeout: Duration? = nil) async throws -> R.Response {
        try await connection(to: node).send(request, version: version, timeout: timeout)
    }

    /// Sends to whichever broker is reachable (an open connection first).
    public func sendToAnyBroker<R: KafkaRequestMessage>(_ request: R, version: Int16? = nil, timeout: Duration? = nil) async throws -> R.Response {
        try await anyConnection().send(request, version: version, timeout: timeout)
    }

    /// The open connection to `node`, opening it if needed. Callers asking at the same time
    /// share one connection attempt.
    public func connection(to node: Int32) async throws -> BrokerConnection {
        switch try lookUpConnection(node) {
        case .open(let connection):
            return connection
        case .connecting(let task):
            do {
                return try await task.value
            } catch let error as KafkaError {
                throw error
            } catch is CancellationError {
                throw KafkaError(.cancelled, "connecting to node \(node) cancelled")
            } catch {
                throw KafkaError(.connectionFailed, "node \(node): \(error)")
            }
        case .unknownNode:
            // Learn the brokers, then try once more.
            _ = try await metadata(for: [], refresh: true)
            guard state.withLockedValue({ $0.addresses[Self.brokerNode(of: node)] }) != nil else {
                throw KafkaError(.connectionFailed, "broker node \(node) is not in the cluster metadata")
            }
            return try await connection(to: node)
        }
    }

    private enum ConnectionLookup {
        case open(BrokerConnection)
        case connecting(Task<BrokerConnection, any Error>)
        case unknownNode
    }

    /// The open connection, the attempt under way, or a new attempt (after any backoff).
    private func lookUpConnection(_ node: Int32) throws -> ConnectionLookup {
        try state.withLockedValue { state throws -> ConnectionLookup in
            guard !state.isShutdown else { throw KafkaError(.closed, "cluster client is shut down") }
            switch state.connections[node] {
            case .connected(let connection) where !connection.isClosed: return .open(connection)
            case .connecting(let task): return .connecting(task)
            default: break
            }
            guard let address = state.addresses[Self.brokerNode(of: node)] else { return .unknownNode }
            let wait = state.backoffs[node]?.wait(from: .now) ?? .zero
            let task = makeConnectTask(node: node, address: address, after: wait)
            state.connections[node] = .connecting(task)
            return .connecting(task)
        }
    }

    /// Drops cached metadata so the next `metadata` call asks a broker (after leader errors).
    public func invalidateMetadata() {
        state.withLockedValue { $0.metadata.invalidate() }
    }

    /// Closes every connection; later calls throw `closed`.
    public func shutdown() async {
        let slots = state.withLockedValue { state in
            state.isShutdown = true
            defer { state.connections.removeAll() }
            return Array(state.connections.values)
        }
        for slot in slots {
            switch slot {
            case .connected(let connection):
                connection.close()
                try? await connection.channel.closeFuture.get()
            case .connecting(let task):
                task.cancel()
                if let connection = try? await task.value {
                    connection.close()
                    try? await connection.channel.closeFuture.get()
                }
            }
        }
    }

    /// Connects (after `wait`), then records the outcome for everyone awaiting the same task.
    private func makeConnectTask(node: Int32, address: BrokerAddress, after wait: Duration) -> Task<BrokerConnection, any Error> {
        Task {
            if wait > .zero { try await Task.sleep(for: wait) }
            do {
                let connection = try await BrokerConnection.connect(
                    to: address, nodeID: node, configuration: configuration, logger: logger, eventLoopGroup: eventLoopGroup)
                let keep = state.withLockedValue { state in
                    state.backoffs[node]?.succeeded()
                    guard !state.isShutdown else { return false }
                    state.connections[node] = .connected(connection)
                    return true
                }
                guard keep else {
                    connection.close()
                    throw KafkaError(.closed, "cluster client is shut down")
                }
                metrics.connectionsOpened.increment()
                return connection
            } catch {
                metrics.connectionFailures.increment()
                state.withLockedValue { state in
                    if case .connecting = state.connections[node] { state.connections[node] = nil }
                    var backoff = state.backoffs[node]
                        ?? ReconnectBackoff(base: configuration.reconnectBackoff, max: configuration.reconnectBackoffMax)
                    backoff.failed(at: .now)
                    state.backoffs[node] = backoff
                }
                logger.debug("Connection failed", metadata: ["kafka.node_id": "\(node)", "kafka.broker": "\(address)", "error": "\(error)"])
                throw error
            }
        }
    }
}

/// Counters every cluster client reports through swift-metrics.
struct ClusterMetrics: Sendable {
    let connectionsOpened = Counter(label: "kafkawire.connections.opened")
    let connectionFailures = Counter(label: "kafkawire.connections.failed")
    let metadataRequests = Counter(label: "kafkawire.metadata.requests")
}
