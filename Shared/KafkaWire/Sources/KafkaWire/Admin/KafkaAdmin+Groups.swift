import KafkaProtocol
import NIOCore

extension KafkaAdmin {
    /// Every group on every broker (each broker lists the groups it coordinates).
    public func listGroups() async throws -> [GroupListing] {
        try await measured("ListGroups") {
            try await cluster.retrying("ListGroups") {
                let brokers = try await cluster.metadata(for: [], refresh: true).brokers.keys
                let listings = try await withThrowingTaskGroup(of: [GroupListing].self) { group in
                    for node in brokers {
                        group.addTask {
                            let response = try await self.cluster.send(ListGroupsRequest(), to: node)
                            if let error = KafkaError(brokerCode: response.errorCode, "ListGroups on node \(node)") { throw error }
                            return response.groups.map {
                                GroupListing(groupID: $0.groupId, protocolType: $0.protocolType, state: $0.groupState, coordinator: node)
                            }
                        }
                    }
                    return try await group.reduce(into: [GroupListing]()) { $0 += $1 }
                }
                return listings.sorted { $0.groupID < $1.groupID }
            }
        }
    }

    /// State, members and (for consumer groups) assignments of each group, in the given order.
    public func describeGroups(_ groupIDs: [String]) async throws -> [GroupDescription] {
        try await measured("DescribeGroups") {
            try await withThrowingTaskGroup(of: GroupDescription.self) { group in
                for id in groupIDs {
                    group.addTask { try await self.describeGroup(id) }
                }
                let described = try await group.reduce(into: [String: GroupDescription]()) { $0[$1.groupID] = $1 }
                return groupIDs.compactMap { described[$0] }
            }
        }
    }

    private func describeGroup(_ id: String) async throws -> GroupDescription {
        try await withCoordinator(of: id, "DescribeGroups") { coordinator in
            let response = try await cluster.send(DescribeGroupsRequest(groups: [id]), to: coordinator)
            guard let group = response.groups.first(where: { $0.groupId == id }) else {
                throw KafkaError(.protocolViolation, "DescribeGroups answer without group \(id)")
            }
            let error = KafkaErrorCode(rawValue: group.errorCode)
            if Self.isCoordinatorError(error) { throw KafkaError(.broker(error), "DescribeGroups \(id)") }
            let members = group.members.map { member in
                GroupMemberDescription(
                    memberID: member.memberId, groupInstanceID: member.groupInstanceId, clientID: member.clientId,
                    clientHost: member.clientHost,
                    assignment: group.protocolType == "consumer" ? Self.decodeAssignment(member.memberAssignment) : [:])
            }
            return GroupDescription(groupID: id, state: group.groupState, protocolType: group.protocolType,
                                    assignmentProtocol: group.protocolData, coordinator: coordinator, error: error, members: members)
        }
    }

    /// Committed offset, end offset and lag of every partition the group has committed or
    /// has assigned to a member (those without a commit have no committed offset and no lag).
    public func consumerLag(group id: String) async throws -> [PartitionLag] {
        try await measured("ConsumerLag") {
            var committed: [String: [Int32: Int64]] = [:]
            for entry in try await committedOffsets(group: id) where entry.offset >= 0 {
                committed[entry.topic, default: [:]][entry.partition] = entry.offset
            }
            var partitions = Set(committed.flatMap { topic, offsets in offsets.keys.map { TopicPartitionKey(topic: topic, partition: $0) } })
            for member in try await describeGroup(id).members {
                for (topic, assigned) in member.assignment {
                    for partition in assigned { partitions.insert(TopicPartitionKey(topic: topic, partition: partition)) }
                }
            }
            let ends = try await listOffsets(partitions.map { ($0.topic, $0.partition, .latest) })
            var endOffsets: [String: [Int32: Int64]] = [:]
            for end in ends where end.error == .none { endOffsets[end.topic, default: [:]][end.partition] = end.offset }
            return partitions.map { key in
                PartitionLag(topic: key.topic, partition: key.partition, committedOffset: committed[key.topic]?[key.partition],
                             endOffset: endOffsets[key.topic]?[key.partition] ?? -1)
            }.sorted { ($0.topic, $0.partition) < ($1.topic, $1.partition) }
        }
    }

    private struct TopicPartitionKey: Hashable {
        var topic: String
        var partition: Int32
    }

    /// Offsets the group committed, for every topic it committed to (OffsetFetch with all topics).
    public func committedOffsets(group id: String) async throws -> [(topic: String, partition: Int32, offset: Int64)] {
        try await withCoordinator(of: id, "OffsetFetch") { coordinator in
            let connection = try await cluster.connection(to: coordinator)
            let version = try connection.versions.version(for: .offsetFetch)
            guard version >= 2 else {
                throw KafkaError(.unsupportedVersion, "listing all committed offsets needs OffsetFetch v2, broker offers v\(version)")
            }
            // v8 batches groups (KIP-709); earlier versions ask for one. nil topics: all of them.
            let request = version >= 8
                ? OffsetFetchRequest(groups: [.init(groupId: id, topics: nil)])
                : OffsetFetchRequest(groupId: id, topics: nil)
            let response = try await connection.send(request, version: version)
            var offsets: [(topic: String, partition: Int32, offset: Int64)] = []
            let errorCode: Int16
            if version >= 8 {
                guard let group = response.groups.first(where: { $0.groupId == id }) else {
                    throw KafkaError(.protocolViolation, "OffsetFetch answer without group \(id)")
                }
                errorCode = group.errorCode
                for topic in group.topics {
                    for partition in topic.partitions { offsets.append((topic.name, partition.partitionIndex, partition.committedOffset)) }
                }
            } else {
                errorCode = response.errorCode
                for topic in response.topics {
                    for partition in topic.partitions { offsets.append((topic.name, partition.partitionIndex, partition.committedOffset)) }
                }
            }
            if let error = KafkaError(brokerCode: errorCode, "OffsetFetch for group \(id)") { throw error }
            return offsets
        }
    }

    /// Runs `body` against the group's coordinator, finding it again after coordinator errors.
    private func withCoordinator<T: Sendable>(of group: String, _ operation: String, _ body: (Int32) async throws -> T) async throws -> T {
        try await cluster.retrying(operation) {
            let coordinator = try await cluster.coordinator(forGroup: group)
            do {
                return try await body(coordinator)
            } catch let error as KafkaError {
                if let code = error.code.brokerCode, Self.isCoordinatorError(code) { cluster.invalidateCoordinator(forGroup: group) }
                if error.code == .connectionClosed || error.code == .connectionFailed { cluster.invalidateCoordinator(forGroup: group) }
                throw error
            }
        }
    }

    static func isCoordinatorError(_ code: KafkaErrorCode) -> Bool {
        code == .notCoordinator || code == .coordinatorNotAvailable || code == .coordinatorLoadInProgress
    }

    /// Reads a member's assignment in Kafka's consumer-protocol encoding (a version, then the
    /// struct); later versions only append fields, so a newer one is read as our highest.
    static func decodeAssignment(_ bytes: ByteBuffer) -> [String: [Int32]] {
        var buffer = bytes
        guard let version = buffer.readInteger(as: Int16.self), version >= 0 else { return [:] }
        let readable = min(version, ConsumerProtocolAssignment.validVersions.upperBound)
        guard let assignment = try? ConsumerProtocolAssignment(from: &buffer, version: readable) else { return [:] }
        var result: [String: [Int32]] = [:]
        for topic in assignment.assignedPartitions { result[topic.topic, default: []] += topic.partitions }
        return result.mapValues { $0.sorted() }
    }
}
