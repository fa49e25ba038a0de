import KafkaWire
import NIOCore

/// The tests' owner map: which member (by the URL in its subscription user data) owns which
/// partition, as an OrderCommand-style leader attaches it to every member's assignment.
/// Encoded as sorted "topic/partition=url" lines.
struct OwnerMap: Hashable, Sendable {
    var owners: [TopicPartition: String]

    init(_ owners: [TopicPartition: String]) {
        self.owners = owners
    }

    /// From the leader's view: each assigned partition to its member's URL (members without
    /// user data are left out).
    init(members: [AssignorMember], assignment: [String: [TopicPartition]]) {
        var owners: [TopicPartition: String] = [:]
        for member in members {
            guard let url = member.userData.map({ String(buffer: $0) }) else { continue }
            for partition in assignment[member.memberID] ?? [] { owners[partition] = url }
        }
        self.owners = owners
    }

    init?(decoding buffer: ByteBuffer) {
        var owners: [TopicPartition: String] = [:]
        for line in String(buffer: buffer).split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1)
            guard parts.count == 2, let slash = parts[0].lastIndex(of: "/"),
                let partition = Int32(parts[0][parts[0].index(after: slash)...])
            else { return nil }
            owners[TopicPartition(String(parts[0][..<slash]), partition)] = String(parts[1])
        }
        self.owners = owners
    }

    var encoded: ByteBuffer {
        ByteBuffer(string: owners.keys.sorted().map { "\($0.topic)/\($0.partition)=\(owners[$0]!)\n" }.joined())
    }

    /// The provider an OrderCommand-style leader attaches: the same owner map for every member.
    static let provider: AssignmentUserDataProvider = { members, assignment in
        let map = OwnerMap(members: members, assignment: assignment).encoded
        return Dictionary(uniqueKeysWithValues: assignment.keys.map { ($0, map) })
    }
}
