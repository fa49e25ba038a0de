import KafkaProtocol

extension KafkaCluster {
    /// The node id of the group's coordinator (FindCoordinator, cached until invalidated).
    public func coordinator(forGroup group: String) async throws -> Int32 {
        let cached = try state.withLockedValue { state throws in
            guard !state.isShutdown else { throw KafkaError(.closed, "cluster client is shut down") }
            return state.coordinators[group]
        }
        if let cached { return cached }
        return try await retrying("FindCoordinator") {
            let connection = try await anyConnection()
            let version = try connection.versions.version(for: .findCoordinator)
            // v4 batches keys (KIP-699); earlier versions ask for one.
            let request = version >= 4
                ? FindCoordinatorRequest(keyType: 0, coordinatorKeys: [group])
                : FindCoordinatorRequest(key: group, keyType: 0)
            let response = try await connection.send(request, version: version)
            let (errorCode, node, host, port): (Int16, Int32, String, Int32)
            if version >= 4 {
                guard let answer = response.coordinators.first(where: { $0.key == group }) else {
                    throw KafkaError(.protocolViolation, "FindCoordinator answer without group \(group)")
                }
                (errorCode, node, host, port) = (answer.errorCode, answer.nodeId, answer.host, answer.port)
            } else {
                (errorCode, node, host, port) = (response.errorCode, response.nodeId, response.host, response.port)
            }
            if let error = KafkaError(brokerCode: errorCode, "FindCoordinator for group \(group)") { throw error }
            state.withLockedValue { state in
                state.coordinators[group] = node
                state.addresses[node] = BrokerAddress(host: host, port: Int(port))
            }
            return node
        }
    }

    /// Forgets the group's coordinator (after NOT_COORDINATOR or COORDINATOR_NOT_AVAILABLE).
    public func invalidateCoordinator(forGroup group: String) {
        state.withLockedValue { _ = $0.coordinators.removeValue(forKey: group) }
    }

    /// The connection for group-protocol requests to `group`'s coordinator. It is a second
    /// connection to that broker, as the Java client keeps one (node id `Int32.max - id`):
    /// brokers answer a connection's requests in order, so a JoinGroup that waits for a
    /// rebalance must not sit in front of the fetches to the same broker.
    public func coordinatorConnection(forGroup group: String) async throws -> BrokerConnection {
        try await connection(to: Self.coordinatorSlot(try await coordinator(forGroup: group)))
    }

    /// The connection-pool key of a coordinator connection to broker `node`.
    static func coordinatorSlot(_ node: Int32) -> Int32 { Int32.max - node }

    /// The broker behind a connection-pool key (itself, unless it is a coordinator slot).
    static func brokerNode(of key: Int32) -> Int32 { key > Int32.max / 2 ? Int32.max - key : key }
}
