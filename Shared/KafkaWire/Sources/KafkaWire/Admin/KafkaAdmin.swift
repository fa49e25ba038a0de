import KafkaProtocol
import Logging
import Metrics
import NIOCore
import NIOPosix

/// Cluster administration: topics, offsets, groups and consumer lag.
///
/// Every operation retries what Kafka marks retriable (a moved leader or coordinator, a lost
/// connection) a few times, refreshing metadata in between; other failures are thrown, or
/// reported per topic or partition where the broker answers per topic or partition.
public final class KafkaAdmin: Sendable {
    public let cluster: KafkaCluster
    let logger: Logger
    private let ownsCluster: Bool
    let operations = Counter(label: "kafkawire.admin.operations")
    let failures = Counter(label: "kafkawire.admin.failures")

    /// Uses `cluster`, which the caller keeps and shuts down.
    public init(cluster: KafkaCluster, logger: Logger) {
        self.cluster = cluster
        self.logger = logger
        self.ownsCluster = false
    }

    /// Makes its own cluster client; `shutdown()` closes it.
    public init(configuration: KafkaClientConfiguration, logger: Logger,
                eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.cluster = KafkaCluster(configuration: configuration, logger: logger, eventLoopGroup: eventLoopGroup)
        self.logger = logger
        self.ownsCluster = true
    }

    public func shutdown() async {
        if ownsCluster { await cluster.shutdown() }
    }

    /// Counts the operation and its failure, and keeps every thrown error a `KafkaError`.
    func measured<T: Sendable>(_ name: String, _ body: () async throws -> T) async throws -> T {
        operations.increment()
        do {
            return try await body()
        } catch let error as KafkaError {
            failures.increment()
            logger.debug("Admin operation failed", metadata: ["kafka.operation": "\(name)", "error": "\(error)"])
            throw error
        } catch {
            failures.increment()
            throw KafkaError(.cancelled, "\(name): \(error)")
        }
    }

    /// The controller, where topic creation and deletion must go (any broker when unknown).
    func controller() async throws -> Int32 {
        let metadata = try await cluster.metadata(for: [])
        if metadata.controllerID >= 0 { return metadata.controllerID }
        return try await cluster.anyConnection().nodeID
    }
}
