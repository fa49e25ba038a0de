import ArgumentParser
import KafkaProtocol
import KafkaWire
import Logging
import NIOCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct PerfProduceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "produce",
        abstract: "Produce N messages as fast as possible and print the throughput as one JSON line.",
        discussion: """
            The same workload as `rdkafka-perf produce` (Benchmarks/rdkafka-peer): acks=all, \
            idempotent, linger.ms=5, --size byte values with a null key, round robin over \
            --partitions partitions; timing ends when every message is acknowledged. \
            Prints {"mode":"produce",...,"msgs_per_s":..,"mb_per_s":..,"elapsed_s":..,"cpu_s":..}.
            """
    )

    @Option(help: "Bootstrap brokers, HOST:PORT[,HOST:PORT...].")
    var brokers: String = "127.0.0.1:9092"

    @OptionGroup var security: SecurityOptions

    @Option(help: "Topic (must exist with --partitions partitions, or be auto-created).")
    var topic: String

    @Option(help: "Messages to produce.")
    var messages: Int = 1_000_000

    @Option(help: "Bytes per message value.")
    var size: Int = 100

    @Option(help: "Partitions to spread the messages over, round robin.")
    var partitions: Int32 = 6

    @Option(help: "Compression: none, gzip, snappy, lz4, zstd.")
    var compression: String = "none"

    @Option(help: "batch.size in bytes (default: the producer's).")
    var batchSize: Int?

    @Option(help: "Seconds to wait for the topic and the run before giving up.")
    var timeout: Int = 300

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: Logger.Level = .warning

    func run() async throws {
        ClientCommandSupport.bootstrapLogging(logLevel)
        guard partitions > 0, messages >= 0, size >= 0 else { throw ValidationError("bad --partitions/--messages/--size") }
        var configuration = KafkaProducerConfiguration(client: try ProducerCommandSupport.clientConfiguration(brokers))
        configuration.client.clientID = "kafkawire-perf"
        try security.apply(to: &configuration.client)
        configuration.acks = .all
        configuration.idempotence = true
        configuration.linger = .milliseconds(5)
        configuration.compression = try ProducerCommandSupport.codec(compression)
        configuration.deliveryTimeout = .seconds(timeout)
        configuration.maxBlock = .seconds(timeout)
        if let batchSize { configuration.batchSize = batchSize }
        try await Self.waitForTopic(topic, partitions: partitions, configuration: configuration.client, timeout: timeout)
        let producer = try KafkaProducer(configuration: configuration, logger: Logger(label: "kafkawire.perf"))
        let topic = self.topic, messages = self.messages, size = self.size, partitions = self.partitions
        let result = try await ProducerCommandSupport.withRunningProducer(producer) { producer in
            try await Self.produce(producer, topic: topic, messages: messages, size: size, partitions: partitions)
        }
        let elapsed = Swift.max(result.elapsed, 1e-9)
        let bytes = result.delivered * size
        print(
            #"{"mode":"produce","topic":"\#(topic)","messages":\#(result.delivered),"size":\#(size),"partitions":\#(partitions),"#
                + #""bytes":\#(bytes),"elapsed_s":\#(format(elapsed, 3)),"msgs_per_s":\#(format(Double(result.delivered) / elapsed, 0)),"#
                + #""mb_per_s":\#(format(Double(bytes) / 1e6 / elapsed, 2)),"cpu_user_s":\#(format(result.cpuUser, 3)),"#
                + #""cpu_sys_s":\#(format(result.cpuSys, 3)),"cpu_s":\#(format(result.cpuUser + result.cpuSys, 3)),"#
                + #""errors":\#(result.errors),"client":"kafkawire"}"#)
        if result.errors > 0 || result.delivered != messages {
            ProducerCommandSupport.standardError("kafkawire perf produce: \(result.delivered) of \(messages) delivered, \(result.errors) failed")
            throw ExitCode.failure
        }
    }

    struct Result: Sendable {
        var delivered: Int
        var errors: Int
        var elapsed: Double
        var cpuUser: Double
        var cpuSys: Double
    }

    static func produce(_ producer: KafkaProducer, topic: String, messages: Int, size: Int, partitions: Int32) async throws -> Result {
        // Metadata first (as rdkafka-perf waits for the topic): not part of the timing.
        _ = try await producer.send(ProducerRecord(topic: topic, value: ByteBuffer(), partition: 0))
        var payload = ByteBuffer(bytes: (0..<size).map { UInt8(ascii: "a") + UInt8((($0 * 7) + $0 / 26) % 26) })
        let (user0, sys0) = ClientCommandSupport.cpuSeconds()
        let start = ContinuousClock.now
        // Awaiting handles in windows keeps memory flat; most are complete when awaited.
        var pending = CircularBuffer<DeliveryHandle>(initialCapacity: 1 << 17)
        var delivered = 0, errors = 0
        func settle(_ handle: DeliveryHandle) async {
            do {
                _ = try await handle.metadata()
                delivered += 1
            } catch {
                if errors == 0 { ProducerCommandSupport.standardError("kafkawire perf produce: delivery failed: \(error)") }
                errors += 1
            }
        }
        for i in 0..<messages {
            // Vary the first bytes as rdkafka-perf does; the buffer is unshared again once
            // the previous record was copied into its batch, so this does not allocate.
            if size >= 8 { payload.setInteger(UInt64(i), at: 0, endianness: .little) }
            pending.append(try await producer.enqueue(ProducerRecord(topic: topic, value: payload, partition: Int32(i % Int(partitions)))))
            if pending.count >= 1 << 17 {
                for _ in 0..<(1 << 16) { await settle(pending.removeFirst()) }
            }
        }
        await producer.flush()
        while let handle = pending.popFirst() { await settle(handle) }
        let elapsed = ContinuousClock.now - start
        let (user1, sys1) = ClientCommandSupport.cpuSeconds()
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Result(delivered: delivered, errors: errors, elapsed: seconds, cpuUser: user1 - user0, cpuSys: sys1 - sys0)
    }

    /// Waits (as rdkafka-perf does) until the topic has `partitions` partitions with leaders.
    static func waitForTopic(_ topic: String, partitions: Int32, configuration: KafkaClientConfiguration, timeout: Int) async throws {
        let cluster = KafkaCluster(configuration: configuration, logger: Logger(label: "kafkawire.perf"))
        defer { Task { await cluster.shutdown() } }
        let deadline = ContinuousClock.now + .seconds(timeout)
        var last = "no metadata"
        while ContinuousClock.now < deadline {
            do {
                let metadata = try await cluster.metadata(for: [topic], autoCreate: true, refresh: true)
                if let found = metadata.topics[topic], found.error == .none {
                    let led = found.partitions.filter { $0.leader >= 0 && $0.error == .none }.count
                    if found.partitions.count >= partitions && led == found.partitions.count { return }
                    last = "\(found.partitions.count) partitions, \(led) with a leader"
                } else {
                    last = "topic missing or in error"
                }
            } catch {
                last = "\(error)"
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        ProducerCommandSupport.standardError("kafkawire perf produce: topic \(topic) not ready with \(partitions) partitions: \(last)")
        throw ExitCode.failure
    }
}

/// Fixed-point text without Foundation: `decimals` digits after the point.
private func format(_ value: Double, _ decimals: Int) -> String {
    var scale: Int64 = 1
    for _ in 0..<decimals { scale *= 10 }
    let scaled = Int64((value * Double(scale)).rounded())
    guard decimals > 0 else { return "\(scaled)" }
    let fraction = String(scaled % scale)
    return "\(scaled / scale)." + String(repeating: "0", count: decimals - fraction.count) + fraction
}
