import ArgumentParser
import KafkaWire
import Logging

struct PerfConsumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "consume",
        abstract: "Consume N messages as fast as possible and print the throughput as one JSON line.",
        discussion: """
            The same workload as `rdkafka-perf consume` (Benchmarks/rdkafka-peer): every \
            partition read from the beginning (no group) until --messages records are seen. \
            Prints {"mode":"consume",...,"msgs_per_s":..,"mb_per_s":..,"elapsed_s":..,"cpu_s":..}; \
            MB are 10^6 bytes of values, CPU seconds this process's.
            """
    )

    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...].")
    var brokers: String = "127.0.0.1:9092"

    @OptionGroup var security: SecurityOptions

    @Option(help: "Topic to read.")
    var topic: String

    @Option(help: "Messages to read before stopping.")
    var messages: Int = 1_000_000

    @Option(help: "Partitions of the topic to read (0 ..< N).")
    var partitions: Int32 = 6

    @Option(help: "Seconds to wait for the topic and the run before giving up.")
    var timeout: Int = 300

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        ClientCommandSupport.bootstrapLogging(logLevel)
        let logger = Logger(label: "kafkawire.perf")
        guard partitions > 0, messages >= 0 else { throw ValidationError("bad --partitions/--messages") }
        var client = KafkaClientConfiguration(bootstrapServers: try ClientCommandSupport.brokers(brokers))
        client.clientID = "kafkawire-perf"
        try security.apply(to: &client)
        let assigned = (0..<partitions).map { TopicPartition(topic, $0) }
        var configuration = KafkaConsumerConfiguration(client: client, consumption: .partitions(assigned))
        configuration.autoOffsetReset = .earliest
        // As rdkafka-perf sets fetch.wait.max.ms.
        configuration.fetchMaxWait = .milliseconds(100)
        let consumer = try KafkaConsumer(configuration: configuration, logger: logger)
        try await waitForTopic(consumer)

        let clock = ContinuousClock()
        let cpu0 = ClientCommandSupport.cpuSeconds()
        let t0 = clock.now
        let deadline = Task {
            try await Task.sleep(for: .seconds(timeout))
            consumer.triggerGracefulShutdown()
        }
        let (seen, bytes, end, cpu1) = try await withThrowingTaskGroup(of: Counted?.self) { group in
            group.addTask {
                try await consumer.run()
                return nil
            }
            // A local copy: reading the @Option property costs more than a record.
            let messages = messages
            group.addTask {
                var seen = 0
                var bytes = 0
                if messages > 0 {
                    for try await record in consumer.messages {
                        seen += 1
                        bytes += record.value?.readableBytes ?? 0
                        if seen >= messages { break }
                    }
                }
                // Timing ends at the last message, as rdkafka-perf's does.
                let counted = Counted(seen: seen, bytes: bytes, end: clock.now, cpu: ClientCommandSupport.cpuSeconds())
                consumer.triggerGracefulShutdown()
                return counted
            }
            var result = Counted(seen: 0, bytes: 0, end: clock.now, cpu: ClientCommandSupport.cpuSeconds())
            while let next = try await group.next() {
                if let next { result = next }
            }
            return (result.seen, result.bytes, result.end, result.cpu)
        }
        deadline.cancel()
        let elapsed = max((end - t0).seconds, 1e-9)
        let user = cpu1.user - cpu0.user
        let system = cpu1.system - cpu0.system
        print(
            "{\"mode\":\"consume\",\"topic\":\"\(topic)\",\"messages\":\(seen),\"partitions\":\(partitions),"
                + "\"bytes\":\(bytes),\"elapsed_s\":\(Self.fixed(elapsed, 3)),\"msgs_per_s\":\(Self.fixed(Double(seen) / elapsed, 0)),"
                + "\"mb_per_s\":\(Self.fixed(Double(bytes) / 1e6 / elapsed, 2)),\"cpu_user_s\":\(Self.fixed(user, 3)),"
                + "\"cpu_sys_s\":\(Self.fixed(system, 3)),\"cpu_s\":\(Self.fixed(user + system, 3)),\"errors\":0,\"client\":\"kafkawire\"}")
        if seen < messages {
            throw ValidationError("saw \(seen) of \(messages) messages before the deadline")
        }
    }

    private struct Counted: Sendable {
        var seen: Int
        var bytes: Int
        var end: ContinuousClock.Instant
        var cpu: (user: Double, system: Double)
    }

    private func waitForTopic(_ consumer: KafkaConsumer) async throws {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            if let found = try? await consumer.partitions(of: topic), found.count >= partitions { return }
            guard ContinuousClock.now < deadline else {
                throw ValidationError("topic \(topic) not available with \(partitions) partitions")
            }
            try await Task.sleep(for: .milliseconds(200))
        }
    }

    private static func fixed(_ value: Double, _ digits: Int) -> String {
        var scale = 1.0
        for _ in 0..<digits { scale *= 10 }
        let rounded = (value * scale).rounded() / scale
        return digits == 0 ? String(Int64(rounded)) : String(rounded)
    }
}

extension Duration {
    fileprivate var seconds: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }
}
