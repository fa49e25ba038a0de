import KafkaProtocol
import Logging

extension KafkaCluster {
    /// Metadata for `topics` (nil: all topics), from the cache when it has every one of them
    /// and is younger than metadataMaxAge, otherwise from a broker. `autoCreate` lets the
    /// broker create missing topics (if it allows that). Topic errors stay in the result.
    public func metadata(for topics: [String]?, autoCreate: Bool = false, refresh: Bool = false) async throws -> ClusterMetadata {
        if !refresh {
            let cached = try state.withLockedValue { state throws in
                guard !state.isShutdown else { throw KafkaError(.closed, "cluster client is shut down") }
                return state.metadata.lookup(topics: topics, now: metadataClock(), maxAge: configuration.metadataMaxAge)
            }
            if let cached { return cached }
        }
        // Callers asking the same question at the same time (a burst of leader errors) share one request.
        let key = MetadataQuestion(topics: topics.map(Set.init), autoCreate: autoCreate)
        let fetch = state.withLockedValue { state in
            if let running = state.metadataFetches[key] { return running }
            let task = Task { try await self.fetchMetadata(for: topics, autoCreate: autoCreate) }
            state.metadataFetches[key] = task
            return task
        }
        defer { state.withLockedValue { if $0.metadataFetches[key] == fetch { $0.metadataFetches[key] = nil } } }
        do {
            return try await fetch.value
        } catch let error as KafkaError {
            throw error
        } catch {
            throw KafkaError(.cancelled, "Metadata: \(error)")
        }
    }

    private func fetchMetadata(for topics: [String]?, autoCreate: Bool) async throws -> ClusterMetadata {
        try await retrying("Metadata") {
            let connection = try await anyConnection()
            let version = try connection.versions.version(for: .metadata)
            let request = MetadataRequest(topics: topics, autoCreate: autoCreate, version: version)
            let fetched = ClusterMetadata(try await connection.send(request, version: version))
            metrics.metadataRequests.increment()
            store(fetched, requested: topics)
            var result = fetched
            if let topics { result.topics = result.topics.filter { topics.contains($0.key) } }
            return result
        }
    }

    /// Caches a metadata answer, learns broker addresses, and retires connections that no
    /// longer match: bootstrap ones (once real node ids are known) and moved brokers.
    private func store(_ fetched: ClusterMetadata, requested topics: [String]?) {
        let retired = state.withLockedValue { state -> [BrokerConnection] in
            state.metadata.store(fetched, requested: topics, at: metadataClock())
            var retired: [BrokerConnection] = []
            for (node, slot) in state.connections {
                guard case .connected(let connection) = slot else { continue }
                let stillValid = node >= 0 ? fetched.brokers[node].map { $0 == connection.address } ?? true : fetched.brokers.isEmpty
                if !stillValid {
                    retired.append(connection)
                    state.connections[node] = nil
                }
            }
            for (node, address) in fetched.brokers { state.addresses[node] = address }
            return retired
        }
        for connection in retired {
            logger.debug("Retiring connection", metadata: ["kafka.node_id": "\(connection.nodeID)", "kafka.broker": "\(connection.address)"])
            connection.closeGracefully()
        }
    }

    /// An open connection to any broker: one already open (real nodes first), else the brokers
    /// from metadata, else the bootstrap servers, in turn until one answers.
    func anyConnection() async throws -> BrokerConnection {
        let (open, candidates) = try state.withLockedValue { state throws in
            guard !state.isShutdown else { throw KafkaError(.closed, "cluster client is shut down") }
            var open: [BrokerConnection] = []
            for case .connected(let connection) in state.connections.values where !connection.isClosed {
                open.append(connection)
            }
            open.sort { ($0.nodeID < 0 ? 1 : 0, $0.nodeID) < ($1.nodeID < 0 ? 1 : 0, $1.nodeID) }
            let known = (state.metadata.current?.brokers.keys).map { Array($0).shuffled() } ?? []
            let bootstrap = configuration.bootstrapServers.indices.map(Self.bootstrapNodeID)
            return (open.first, known + bootstrap)
        }
        if let open { return open }
        var lastError = KafkaError(.connectionFailed, "no bootstrap servers configured", retriable: false)
        for node in candidates {
            do {
                return try await connection(to: node)
            } catch let error as KafkaError where error.isRetriable {
                lastError = error
            }
        }
        throw lastError
    }
}
