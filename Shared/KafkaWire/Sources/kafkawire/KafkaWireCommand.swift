import ArgumentParser

@main
struct KafkaWireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafkawire",
        abstract: "Kafka wire-protocol tools: a single-node Kafka-compatible dev broker.",
        subcommands: [BrokerCommand.self, ProduceCommand.self, PerfCommand.self]
    )
}
