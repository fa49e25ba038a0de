import ArgumentParser
import KafkaWire

struct TopicsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "topics",
        abstract: "List, create, delete and describe topics.",
        subcommands: [List.self, Create.self, Delete.self, Describe.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List topics with their partition counts.")

        @OptionGroup var client: ClientOptions

        @Flag(help: "Include internal topics.")
        var includeInternal = false

        func run() async throws {
            try await AdminCommandSupport.withAdmin(client) { admin in
                let topics = try await admin.listTopics(includeInternal: includeInternal)
                if client.json {
                    try AdminCommandSupport.printJSON(topics.map { ListedTopic(name: $0.name, partitions: $0.partitions.count) })
                    return
                }
                var table = TextTable(header: ["TOPIC", "PARTITIONS"])
                for topic in topics { table.add([topic.name, "\(topic.partitions.count)"]) }
                print(table.render())
            }
        }
    }

    struct ListedTopic: Encodable {
        var name: String
        var partitions: Int
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create topics.")

        @OptionGroup var client: ClientOptions

        @Argument(help: "Names of the topics to create.")
        var names: [String]

        @Option(help: "Partitions per topic (-1: the broker's default).")
        var partitions: Int32 = -1

        @Option(help: "Replicas per partition (-1: the broker's default).")
        var replicationFactor: Int16 = -1

        @Option(name: .customLong("config"), help: "Topic config KEY=VALUE (repeatable).")
        var configs: [String] = []

        func validate() throws {
            guard !names.isEmpty else { throw ValidationError("name at least one topic") }
            for config in configs where !config.contains("=") { throw ValidationError("--config takes KEY=VALUE, got \(config)") }
        }

        func run() async throws {
            var parsed: [String: String] = [:]
            for config in configs {
                let parts = config.split(separator: "=", maxSplits: 1)
                parsed[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
            }
            try await AdminCommandSupport.withAdmin(client) { admin in
                let results = try await admin.createTopics(names.map {
                    NewTopic(name: $0, partitions: partitions, replicationFactor: replicationFactor, configs: parsed)
                })
                try TopicsCommand.report(results, verb: "Created", json: client.json)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete topics.")

        @OptionGroup var client: ClientOptions

        @Argument(help: "Names of the topics to delete.")
        var names: [String]

        func validate() throws {
            guard !names.isEmpty else { throw ValidationError("name at least one topic") }
        }

        func run() async throws {
            try await AdminCommandSupport.withAdmin(client) { admin in
                try TopicsCommand.report(try await admin.deleteTopics(names), verb: "Deleted", json: client.json)
            }
        }
    }

    struct Describe: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show partitions, leaders and replicas of topics.")

        @OptionGroup var client: ClientOptions

        @Argument(help: "Topics to describe (default: all).")
        var names: [String] = []

        func run() async throws {
            try await AdminCommandSupport.withAdmin(client) { admin in
                let topics = names.isEmpty ? try await admin.listTopics() : try await admin.describeTopics(names)
                let output = topics.map(MetadataOutput.Topic.init)
                if client.json {
                    try AdminCommandSupport.printJSON(output)
                } else {
                    print(output.map { TopicsCommand.describe($0) }.joined(separator: "\n"))
                }
                if let missing = output.first(where: { $0.error != nil }) {
                    throw CommandFailure("topic \(missing.name): \(missing.error ?? "")")
                }
            }
        }
    }

    /// Prints per-topic results; fails (exit 1) when any topic failed.
    static func report(_ results: [TopicResult], verb: String, json: Bool) throws {
        if json {
            try AdminCommandSupport.printJSON(results.map { ["name": $0.name, "error": $0.error.map { "\($0)" }] })
        } else {
            for result in results where result.error == nil { print("\(verb) topic \(result.name)") }
        }
        let failed = results.compactMap(\.error)
        if let first = failed.first {
            throw CommandFailure(failed.count == 1 ? "\(first.message)" : "\(failed.count) topics failed; first: \(first.message)")
        }
    }

    /// A topic's partitions as text, in the spirit of kafka-topics.sh --describe.
    static func describe(_ topic: MetadataOutput.Topic, indent: String = "") -> String {
        var lines = ["\(indent)Topic: \(topic.name)  Partitions: \(topic.partitions.count)  Id: \(topic.id)"
            + (topic.error.map { "  Error: \($0)" } ?? "")]
        guard !topic.partitions.isEmpty else { return lines[0] }
        var table = TextTable(header: ["PARTITION", "LEADER", "EPOCH", "REPLICAS", "ISR", "ERROR"])
        for partition in topic.partitions {
            table.add(["\(partition.partition)", "\(partition.leader)", "\(partition.leaderEpoch)",
                       partition.replicas.map(String.init).joined(separator: ","),
                       partition.isr.map(String.init).joined(separator: ","), partition.error ?? "-"])
        }
        lines.append(table.render(indent: indent + "  "))
        return lines.joined(separator: "\n")
    }
}
