import Foundation
import KafkaWire
import NIOCore

/// Which instance owns which partition of `orders.events`: partition → the owner's
/// `ADVERTISED_URL`. The group leader computes it from every member's subscription user data
/// (its URL) and the cooperative-sticky assignment, and attaches it to every member's
/// assignment (as Kafka Streams does for interactive queries), so each instance learns it at
/// every rebalance. JSON: `{"generation": G, "owners": {"0": "http://...", ...}}`.
public struct OwnerMap: Hashable, Sendable, Codable {
    public var generation: Int32
    public var owners: [Int32: String]

    public init(generation: Int32 = -1, owners: [Int32: String] = [:]) {
        self.generation = generation
        self.owners = owners
    }

    public func owner(of partition: Int32) -> String? { owners[partition] }

    /// The leader's view: each partition of `topic` to the URL its member put in its subscription.
    init(topic: String, members: [AssignorMember], assignment: [String: [TopicPartition]]) {
        var owners: [Int32: String] = [:]
        for member in members {
            guard let data = member.userData, let url = String(validating: data.readableBytesView, as: UTF8.self) else { continue }
            for partition in assignment[member.memberID] ?? [] where partition.topic == topic {
                owners[partition.partition] = url
            }
        }
        self.init(generation: -1, owners: owners)
    }

    var encoded: ByteBuffer {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        return ByteBuffer(bytes: (try? encoder.encode(self)) ?? Data())
    }

    init?(decoding buffer: ByteBuffer) {
        guard let map = try? JSONDecoder().decode(OwnerMap.self, from: Data(buffer.readableBytesView)) else { return nil }
        self = map
    }

    /// The assignment strategy of every OrderCommand instance: cooperative-sticky (partitions
    /// move only when they must), with the owner map attached to every member's assignment.
    static func strategy(topic: String) -> PartitionAssignmentStrategy {
        .cooperativeSticky.attachingUserData { members, assignment in
            let map = OwnerMap(topic: topic, members: members, assignment: assignment).encoded
            return Dictionary(uniqueKeysWithValues: assignment.keys.map { ($0, map) })
        }
    }
}
