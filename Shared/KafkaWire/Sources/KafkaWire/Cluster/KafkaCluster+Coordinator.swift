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
}
