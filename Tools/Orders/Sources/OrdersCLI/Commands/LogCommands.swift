import ArgumentParser
import Events
import Foundation
import KafkaWire
import KafkaEvents
import OrderLog
import ServiceHTTP

/// How `orders events` prints a record without --json.
extension LoggedEvent {
    var text: String {
        let time = Timestamp(millisecondsSinceEpoch: timestamp).rfc3339
        let head = "\(partition):\(offset)  \(time)  \(orderId ?? "-")  v\(version.map(String.init) ?? "?")  \(eventType ?? "?")"
            + (actor.map { "  by \($0)" } ?? "")
        let body = data.map { value -> String in
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: (try? encoder.encode(value)) ?? Data(), as: UTF8.self)
        } ?? ""
        if let void { return Terminal.dim("\(head)  VOID (\(void))  \(body)") }
        if let unreadable { return Terminal.red("\(head)  UNREADABLE (\(unreadable))") }
        return "\(head)  \(body)"
    }
}

struct Events: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Read orders.events straight from Kafka, decoded, void events marked",
        discussion: """
            Each partition is folded from its beginning with the fold rule (so void events are known), \
            and printed from --offset on: beginning, end, an offset (applied to each selected partition) \
            or a time, @TIMESTAMP_MS (milliseconds since the epoch) or @ISO-8601 with a zone \
            (@2026-01-01T00:00:00Z, @2026-01-01T01:00:00.5+01:00; a time without a zone is refused): each \
            partition from its first record at or after it. Several partitions print merged by timestamp. \
            Examples: orders events --partition 2 --offset 10; orders events --offset @2026-01-01T00:00:00Z
            """)
    @OptionGroup var global: GlobalOptions
    @Option(name: .customLong("partition"), help: "Only this partition (repeatable; default every one, or the order's)") var partitions: [Int32] = []
    @Option(help: "Only this order's events") var order: String?
    @Option(help: "beginning, end, an offset, or a time: \(LogPosition.timeForms)") var offset: String = "beginning"
    @Flag(help: "Keep printing new events as they arrive") var follow = false

    func start() throws -> LogPosition {
        do throws(ArgumentProblem) {
            return try LogPosition.parse(offset, option: "--offset", ends: true)
        } catch {
            throw ValidationError(error.message)
        }
    }

    func validate() throws {
        _ = try start()
        if let order { try checkIdentifier(order, "--order") }
        if partitions.contains(where: { $0 < 0 }) { throw ValidationError("--partition must be at least 0") }
    }

    func run() async throws {
        let reader = LogReader(client: try global.kafkaClient(), topic: global.ordersTopic)
        let topic = try await reader.describeForCLI()
        if let bad = partitions.first(where: { $0 >= topic.partitionCount }) {
            throw CLIError.usage("--partition \(bad): \(global.ordersTopic) has partitions 0 to \(topic.partitionCount - 1)")
        }
        var selected = partitions.isEmpty ? Array(0..<topic.partitionCount) : Array(Set(partitions)).sorted()
        if let order {
            let home = topic.partitionOf(order)
            guard partitions.isEmpty || partitions.contains(home) else {
                throw CLIError.usage("order \(order) lives in partition \(home), not in \(partitions.sorted())")
            }
            selected = [home]
        }
        let from = try await reader.startOffsets(try start(), partitions: selected)
        var folds = Dictionary(uniqueKeysWithValues: selected.map { ($0, PartitionFold(partition: $0, partitionOf: topic.partitionOf)) })
        var backlog: [LoggedEvent] = []
        var caughtUp = false
        let json = global.json
        let emit = { (event: LoggedEvent) in json ? Terminal.json(event) : Terminal.line(event.text) }
        try await reader.read(selected, follow: follow, stopsOnSignals: true, atEnd: {
            // Several partitions print merged by timestamp (then partition and offset).
            for event in backlog.sorted(by: { ($0.timestamp, $0.partition, $0.offset) < ($1.timestamp, $1.partition, $1.offset) }) { emit(event) }
            backlog = []
            caughtUp = true
        }) { record in
            // Folded in place: a copy taken out and put back would copy every order's state.
            guard let verdict = folds[record.partition]?.fold(EventRecord(record)) else { return }
            guard record.offset >= from[record.partition] ?? 0 else { return }
            let event = LoggedEvent(record, verdict: verdict)
            if let order, event.orderId != order { return }
            if caughtUp { emit(event) } else { backlog.append(event) }
        }
    }
}

struct History: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Fold one order's events from the log and show its state and history, as of now or of an offset",
        discussion: "Example: orders history o-1 --at-offset 12 (the order as it was once the event at offset 12 of its partition was read)")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The order's id") var order: String
    @Option(help: "Fold the order's partition up to and including this offset") var atOffset: Int64?

    func validate() throws {
        try checkIdentifier(order, "ORDER")
        if let atOffset, atOffset < 0 { throw ValidationError("--at-offset must be at least 0") }
    }

    struct Step: Encodable {
        var position: String
        var version: Int64
        var eventType: String
        var status: String
        var occurredAt: String
        /// Who asked for it; absent for events written before actors were recorded.
        var actor: String?
    }

    struct Answer: Encodable {
        var orderId: String
        var partition: Int32
        var asOfOffset: Int64?
        var exists: Bool
        var version: Int64
        var status: String?
        var customerId: String?
        var currency: String?
        var items: [LineItem]
        var total: Int64
        var history: [Step]
    }

    func run() async throws {
        let reader = LogReader(client: try global.kafkaClient(), topic: global.ordersTopic)
        let topic = try await reader.describeForCLI()
        let timeline = try await OrderTimeline.read(order, from: reader, topic: topic, atOffset: atOffset, stopsOnSignals: true)
        let partition = timeline.partition
        let steps = timeline.steps.compactMap { step in
            step.recorded.map {
                Step(
                    position: "\(partition):\(step.event.offset)", version: $0.envelope.aggregateVersion,
                    eventType: $0.envelope.eventType.rawValue, status: step.state.status.rawValue,
                    occurredAt: $0.envelope.occurredAt.rfc3339, actor: $0.envelope.actor)
            }
        }
        let state = timeline.state()
        let answer = Answer(
            orderId: order, partition: partition, asOfOffset: atOffset, exists: state.exists, version: state.version,
            status: state.exists ? state.status.rawValue : nil, customerId: state.exists ? state.customerId : nil,
            currency: state.exists ? state.currency : nil, items: state.items, total: state.confirmedTotal ?? state.total, history: steps)
        if global.json { return Terminal.json(answer) }
        guard state.exists else {
            return Terminal.line("order \(order) has no event in effect in partition \(partition)" + (atOffset.map { " up to offset \($0)" } ?? ""))
        }
        Terminal.line("\(Terminal.bold("order \(order)"))  \(state.status.rawValue)  version \(state.version)  "
                      + Terminal.dim("partition \(partition)" + (atOffset.map { ", as of offset \($0)" } ?? ", as of now")))
        Terminal.line("customer  \(state.customerId)   total \(Terminal.money(answer.total, state.currency))   "
                      + state.items.map { "\($0.quantity) x \($0.sku)" }.joined(separator: ", "))
        Terminal.table(["position", "version", "event", "status after", "occurred at", "actor"], steps.map {
            [$0.position, String($0.version), $0.eventType, $0.status, $0.occurredAt, $0.actor ?? "-"]
        })
    }
}
