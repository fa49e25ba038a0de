import ArgumentParser

@main
struct KafkaWireCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kafkawire",
        abstract: "Kafka wire-protocol tools: a dev broker, and a client for any Kafka cluster.",
        // One line per subcommand, so adding one is a one-line change.
        subcommands: [
            BrokerCommand.self,
            BrokerUsersCommand.self,
            ProduceCommand.self,
            ConsumeCommand.self,
            PerfCommand.self,
            MetadataCommand.self,
            TopicsCommand.self,
            GroupsCommand.self,
        ]
    )
}
