import ArgumentParser
import KafkaWire

struct MetadataCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Show the cluster's brokers, topics, partitions and leaders (like kcat -L)."
    )

    @OptionGroup var client: ClientOptions

    @Option(name: .customLong("topic"), help: "Only this topic (repeatable); default: all.")
    var topics: [String] = []

    func run() async throws {
        try await AdminCommandSupport.withAdmin(client) { admin in
            let metadata = try await admin.cluster.metadata(for: topics.isEmpty ? nil : topics, refresh: true)
            let output = MetadataOutput(metadata, topicOrder: topics)
            if client.json {
                try AdminCommandSupport.printJSON(output)
                return
            }
            print("Cluster \(output.clusterID ?? "(no id)"), controller \(output.controllerID)")
            print("\(output.brokers.count) broker\(output.brokers.count == 1 ? "" : "s"):")
            var brokers = TextTable(header: ["ID", "ADDRESS"])
            for broker in output.brokers {
                brokers.add(["\(broker.id)", "\(broker.host):\(broker.port)" + (broker.id == output.controllerID ? " (controller)" : "")])
            }
            print(brokers.render(indent: "  "))
            print("\(output.topics.count) topic\(output.topics.count == 1 ? "" : "s"):")
            for topic in output.topics { print(TopicsCommand.describe(topic, indent: "  ")) }
        }
    }
}

/// What `metadata` and `topics describe` print, shared by the text and JSON forms.
struct MetadataOutput: Encodable {
    struct Broker: Encodable {
        var id: Int32
        var host: String
        var port: Int
    }

    struct Topic: Encodable {
        var name: String
        var id: String
        var error: String?
        var `internal`: Bool
        var partitions: [Partition]
    }

    struct Partition: Encodable {
        var partition: Int32
        var leader: Int32
        var leaderEpoch: Int32
        var replicas: [Int32]
        var isr: [Int32]
        var error: String?
    }

    var clusterID: String?
    var controllerID: Int32
    var brokers: [Broker]
    var topics: [Topic]

    init(_ metadata: ClusterMetadata, topicOrder: [String]) {
        clusterID = metadata.clusterID
        controllerID = metadata.controllerID
        brokers = metadata.brokers.sorted { $0.key < $1.key }.map { Broker(id: $0.key, host: $0.value.host, port: $0.value.port) }
        let ordered = topicOrder.isEmpty ? metadata.topics.keys.sorted() : topicOrder
        topics = ordered.map { Topic(metadata.topics[$0] ?? TopicMetadata(name: $0, error: .unknownTopicOrPartition)) }
    }
}

extension MetadataOutput.Topic {
    init(_ topic: TopicMetadata) {
        name = topic.name
        id = "\(topic.id)"
        error = topic.error == .none ? nil : topic.error.description
        self.internal = topic.isInternal
        partitions = topic.partitions.map {
            MetadataOutput.Partition(partition: $0.index, leader: $0.leader, leaderEpoch: $0.leaderEpoch, replicas: $0.replicas,
                                     isr: $0.inSyncReplicas, error: $0.error == .none ? nil : $0.error.description)
        }
    }
}
