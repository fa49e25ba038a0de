import ArgumentParser

struct PerfCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "perf",
        abstract: "Throughput benchmarks, printing one JSON line like Benchmarks/rdkafka-peer.",
        subcommands: [PerfProduceCommand.self, PerfConsumeCommand.self]
    )
}
