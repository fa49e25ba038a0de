import KafkaBroker
import KafkaProtocol
import KafkaWire
import NIOCore
import Testing

/// Admin operations against the in-process dev broker, at whatever versions it offers.
enum AdminScenario {
    /// Writes `count` records to one partition with a plain Produce request.
    static func produce(_ cluster: KafkaCluster, topic: String, partition: Int32, count: Int) async throws {
        var builder = RecordBatchBuilder()
        for i in 0..<count {
            builder.append(key: nil, value: ByteBuffer(string: "v\(i)"), timestamp: 1_700_000_000_000 + Int64(i))
        }
        let request = ProduceRequest(acks: -1, timeoutMs: 5000, topicData: [
            .init(name: topic, partitionData: [.init(index: partition, records: try builder.build())]),
        ])
        let response = try await cluster.send(request, to: 1)
        #expect(response.responses.first?.partitionResponses.first?.errorCode == 0)
    }

    /// Commits `offset` for a group that has no members (generation -1), as tools do.
    static func commit(_ cluster: KafkaCluster, group: String, topic: String, partition: Int32, offset: Int64) async throws {
        let coordinator = try await cluster.coordinator(forGroup: group)
        let request = OffsetCommitRequest(groupId: group, generationIdOrMemberEpoch: -1, memberId: "", topics: [
            .init(name: topic, partitions: [.init(partitionIndex: partition, committedOffset: offset)]),
        ])
        let response = try await cluster.send(request, to: coordinator)
        #expect(response.topics.first?.partitions.first?.errorCode == 0)
    }

    /// Create, describe, list, offsets, groups, lag, delete: every admin operation once.
    static func run(_ admin: KafkaAdmin) async throws {
        let results = try await admin.createTopics([
            NewTopic(name: "events", partitions: 3, replicationFactor: 1, configs: ["retention.ms": "3600000"]),
            NewTopic(name: "audit", partitions: 1, replicationFactor: 1),
        ])
        #expect(results.allSatisfy { $0.error == nil })
        let again = try await admin.createTopics([NewTopic(name: "events", partitions: 3, replicationFactor: 1)])
        #expect(again.first?.error?.code == .broker(.topicAlreadyExists))

        let described = try await admin.describeTopics(["events", "missing"])
        #expect(described[0].partitions.map(\.index) == [0, 1, 2])
        #expect(described[0].partitions.allSatisfy { $0.leader == 1 })
        #expect(described[1].error == .unknownTopicOrPartition)
        #expect(try await admin.listTopics().map(\.name) == ["audit", "events"])

        try await produce(admin.cluster, topic: "events", partition: 1, count: 10)
        let latest = try await admin.listOffsets(.latest, topic: "events")
        #expect(latest.map(\.offset) == [0, 10, 0])
        let earliest = try await admin.listOffsets(.earliest, topic: "events", partitions: [1])
        #expect(earliest.map(\.offset) == [0])
        let byTime = try await admin.listOffsets(.timestamp(1_700_000_000_004), topic: "events", partitions: [1])
        #expect(byTime.first?.offset == 4)

        try await commit(admin.cluster, group: "readers", topic: "events", partition: 1, offset: 7)
        let lag = try await admin.consumerLag(group: "readers")
        #expect(lag == [PartitionLag(topic: "events", partition: 1, committedOffset: 7, endOffset: 10)])
        #expect(lag.first?.lag == 3)
        let groups = try await admin.listGroups()
        #expect(groups.map(\.groupID).contains("readers"))
        let description = try #require(try await admin.describeGroups(["readers"]).first)
        #expect(description.error == .none)
        #expect(description.members.isEmpty)

        // Offsets committed for a topic that is then deleted: reported without an end or lag.
        try await commit(admin.cluster, group: "archivists", topic: "audit", partition: 0, offset: 0)
        let deleted = try await admin.deleteTopics(["audit", "never-was"])
        let orphaned = try await admin.consumerLag(group: "archivists")
        #expect(orphaned.map(\.endOffset) == [-1])
        #expect(orphaned.first?.lag == nil)
        #expect(try await admin.listOffsets([("audit", 0, .latest)]).first?.error == .unknownTopicOrPartition)
        #expect(deleted.first { $0.name == "audit" }?.error == nil)
        #expect(deleted.first { $0.name == "never-was" }?.error?.code == .broker(.unknownTopicOrPartition))
        #expect(try await admin.listTopics().map(\.name) == ["events"])
    }
}

@Suite("Admin: real broker")
struct AdminBrokerTests {
    @Test func everyOperationAtTheNewestVersions() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                try await AdminScenario.run(KafkaAdmin(cluster: cluster, logger: ConnectionTestBroker.logger))
            }
        }
    }

    @Test func describesMembersAndAssignmentsOfAConsumerGroup() async throws {
        try await ConnectionTestBroker.run { port in
            try await ConnectionTestBroker.withCluster(port: port) { cluster in
                let admin = KafkaAdmin(cluster: cluster, logger: ConnectionTestBroker.logger)
                try await admin.createTopic(NewTopic(name: "t", partitions: 2, replicationFactor: 1))
                // One member joins with the consumer protocol and assigns itself both partitions.
                var subscription = ByteBuffer()
                subscription.writeInteger(Int16(0))
                try ConsumerProtocolSubscription(topics: ["t"]).encode(to: &subscription, version: 0)
                let join = JoinGroupRequest(groupId: "g", sessionTimeoutMs: 10000, rebalanceTimeoutMs: 10000, memberId: "",
                                            protocolType: "consumer", protocols: [.init(name: "range", metadata: subscription)])
                var joined = try await cluster.send(join, to: 1)
                if joined.errorCode == KafkaErrorCode.memberIdRequired.rawValue {
                    var retry = join
                    retry.memberId = joined.memberId
                    joined = try await cluster.send(retry, to: 1)
                }
                #expect(joined.errorCode == 0)
                var assignment = ByteBuffer()
                assignment.writeInteger(Int16(0))
                try ConsumerProtocolAssignment(assignedPartitions: [.init(topic: "t", partitions: [1, 0])]).encode(to: &assignment, version: 0)
                let sync = SyncGroupRequest(groupId: "g", generationId: joined.generationId, memberId: joined.memberId,
                                            protocolType: "consumer", protocolName: "range",
                                            assignments: [.init(memberId: joined.memberId, assignment: assignment)])
                #expect(try await cluster.send(sync, to: 1).errorCode == 0)

                let group = try #require(try await admin.describeGroups(["g"]).first)
                #expect(group.state == "Stable")
                #expect(group.protocolType == "consumer")
                #expect(group.assignmentProtocol == "range")
                #expect(group.members.map(\.memberID) == [joined.memberId])
                #expect(group.members.first?.assignment == ["t": [0, 1]])
                #expect(try await admin.listGroups().first?.protocolType == "consumer")
                // Assigned but never committed: listed, without a committed offset or lag.
                let lag = try await admin.consumerLag(group: "g")
                #expect(lag == [
                    PartitionLag(topic: "t", partition: 0, committedOffset: nil, endOffset: 0),
                    PartitionLag(topic: "t", partition: 1, committedOffset: nil, endOffset: 0),
                ])
            }
        }
    }
}
