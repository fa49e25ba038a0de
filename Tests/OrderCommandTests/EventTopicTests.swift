import KafkaWire
import Testing

@testable import OrderCommand

/// The event store's topic: created when missing with retention forever, accepted when an
/// operator made it right, refused (with a message saying what to do) when it would break the store.
@Suite(.timeLimit(.minutes(2))) struct EventTopicTests {
    @Test func createsAMissingTopicThatKeepsEverythingForever() async throws {
        try await TestBroker.run { port in
            try await TestBroker.withAdmin(port: port) { admin in
                let topic = EventTopic(name: "orders.events", partitions: 6)
                try await topic.ensure(admin: admin, logger: TestBroker.logger)
                let described = try await admin.describeTopics(["orders.events"])
                #expect(described.first?.partitions.count == 6)
                let configs = try await admin.describeTopicConfig("orders.events", keys: ["retention.ms", "retention.bytes", "cleanup.policy"])
                #expect(configs["retention.ms"] == "-1")
                #expect(configs["retention.bytes"] == "-1")
                #expect(configs["cleanup.policy"] == "delete")
                // A second instance finds it and accepts it.
                try await topic.ensure(admin: admin, logger: TestBroker.logger)
            }
        }
    }

    @Test func acceptsATopicAnOperatorCreatedRight() async throws {
        try await TestBroker.run { port in
            try await TestBroker.withAdmin(port: port) { admin in
                try await admin.createTopic(NewTopic(name: "orders.events", partitions: 3, configs: ["retention.ms": "-1"]))
                try await EventTopic(name: "orders.events", partitions: 3).ensure(admin: admin, logger: TestBroker.logger)
            }
        }
    }

    @Test func refusesAnotherPartitionCount() async throws {
        try await TestBroker.run { port in
            try await TestBroker.withAdmin(port: port) { admin in
                try await admin.createTopic(NewTopic(name: "orders.events", partitions: 3, configs: ["retention.ms": "-1"]))
                await #expect(throws: EventTopic.Problem.partitionCount(topic: "orders.events", found: 3, expected: 6)) {
                    try await EventTopic(name: "orders.events", partitions: 6).ensure(admin: admin, logger: TestBroker.logger)
                }
            }
        }
    }

    /// (The dev broker refuses compacted topics, so `cleanup.policy=compact` is not among them.)
    @Test(arguments: [("retention.ms", "604800000"), ("retention.bytes", "1073741824")])
    func refusesATopicThatForgets(setting: String, value: String) async throws {
        try await TestBroker.run { port in
            try await TestBroker.withAdmin(port: port) { admin in
                let configs = ["retention.ms": "-1", "retention.bytes": "-1"].merging([setting: value]) { $1 }
                try await admin.createTopic(NewTopic(name: "orders.events", partitions: 6, configs: configs))
                let error = await #expect(throws: EventTopic.Problem.self) {
                    try await EventTopic(name: "orders.events", partitions: 6).ensure(admin: admin, logger: TestBroker.logger)
                }
                #expect(error == .retention(topic: "orders.events", setting: setting, value: value))
                #expect(error.map { "\($0)" }?.contains("forever") == true)
            }
        }
    }
}
