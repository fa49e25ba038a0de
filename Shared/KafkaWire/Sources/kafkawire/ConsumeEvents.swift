import KafkaWire
import NIOCore

/// `kafkawire consume --print-events` and `--owner-map`: what a service would learn from the
/// consumer besides records, as JSON lines on stdout between the records (each written with
/// one write(2), so lines do not mix):
///
///     {"event":"assigned","generation":3,"member_id":"...","added":[0,2],"partitions":[0,1,2],"user_data":...,"user_data_b64":...}
///     {"event":"revoked","partitions":[1]}            (and "lost")
///     {"event":"caught_up","partition":0,"high_watermark":0}
///
/// "caught_up" comes once per assigned partition, when every record below its high
/// watermark has been printed: an empty partition gets one without any record.
struct ConsumeEvents: Sendable {
    private let added: AsyncStream<[TopicPartition]>
    private let continuation: AsyncStream<[TopicPartition]>.Continuation
    let enabled: Bool

    init(enabled: Bool) {
        self.enabled = enabled
        (added, continuation) = AsyncStream.makeStream()
    }

    /// The consumer's rebalance handler: prints the event, then watches the added partitions.
    var handler: RebalanceHandler? {
        guard enabled else { return nil }
        let continuation = continuation
        return { event in
            Self.print(Self.json(event))
            if event.kind == .assigned && !event.partitions.isEmpty { continuation.yield(event.partitions) }
        }
    }

    /// Watch these partitions too (manual assignment).
    func watch(_ partitions: [TopicPartition]) {
        if enabled { continuation.yield(partitions) }
    }

    /// Prints "caught_up" for each watched partition until `finish()`.
    func run(_ consumer: KafkaConsumer) async {
        await withDiscardingTaskGroup { group in
            for await partitions in added {
                for partition in partitions {
                    group.addTask {
                        // Not assigned any more or the consumer stopped: nothing to tell.
                        guard (try? await consumer.waitUntilCaughtUp([partition])) != nil else { return }
                        let end = consumer.highWatermark(of: partition) ?? -1
                        Self.print("{\"event\":\"caught_up\",\"partition\":\(partition.partition),\"high_watermark\":\(end)}")
                    }
                }
            }
        }
    }

    func finish() { continuation.finish() }

    /// The leader's user data for `--owner-map`: to every member the same JSON object from
    /// "topic/partition" to the owner's subscription user data as text (its member id when it
    /// has none), so each member learns who owns what.
    static let ownerMap: AssignmentUserDataProvider = { members, assignment in
        var owners: [TopicPartition: String] = [:]
        for member in members {
            let name = member.userData.map { String(decoding: $0.readableBytesView, as: UTF8.self) } ?? member.memberID
            for partition in assignment[member.memberID] ?? [] { owners[partition] = name }
        }
        let entries = owners.keys.sorted().map {
            RecordFormatter.jsonString("\($0.topic)/\($0.partition)") + ":" + RecordFormatter.jsonString(owners[$0]!)
        }
        let map = ByteBuffer(string: "{" + entries.joined(separator: ",") + "}")
        return Dictionary(uniqueKeysWithValues: assignment.keys.map { ($0, map) })
    }

    private static func json(_ event: RebalanceEvent) -> String {
        let partitions = "[" + event.partitions.map { String($0.partition) }.joined(separator: ",") + "]"
        guard let assignment = event.assignment else {
            return "{\"event\":\"\(event.kind)\",\"partitions\":\(partitions)}"
        }
        let all = "[" + assignment.partitions.map { String($0.partition) }.joined(separator: ",") + "]"
        return "{\"event\":\"assigned\",\"generation\":\(assignment.generation),\"member_id\":"
            + RecordFormatter.jsonString(assignment.memberID) + ",\"added\":\(partitions),\"partitions\":\(all)"
            + ",\"user_data\":" + RecordFormatter.jsonText(assignment.userData)
            + ",\"user_data_b64\":" + RecordFormatter.jsonBase64(assignment.userData) + "}"
    }

    private static func print(_ line: String) {
        var out = OutputBuffer()
        out.append(line + "\n")
        out.flush()
    }
}
