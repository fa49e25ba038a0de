import KafkaProtocol
import NIOCore
import Testing

@testable import KafkaWire

/// Consumer-protocol bytes against hand-derived encodings (Kafka's ConsumerProtocolSubscription
/// and ConsumerProtocolAssignment, int16 version first), as Java and librdkafka write them.
@Suite("Consumer protocol encoding")
struct ConsumerProtocolTests {
    func bytes(_ hex: String) -> ByteBuffer {
        let digits = Array(hex.filter { !$0.isWhitespace })
        var buffer = ByteBuffer()
        var index = 0
        while index < digits.count {
            buffer.writeInteger(UInt8(String(digits[index...index + 1]), radix: 16)!)
            index += 2
        }
        return buffer
    }

    @Test func subscriptionVersion3MatchesHandDerivedBytes() throws {
        let subscription = ConsumerProtocol.Subscription(
            topics: ["t"], ownedPartitions: [TopicPartition("t", 1), TopicPartition("t", 0)], generation: 5)
        let expected = bytes("""
            0003
            00000001 0001 74
            ffffffff
            00000001 0001 74 00000002 00000000 00000001
            00000005
            ffff
            """)
        #expect(try ConsumerProtocol.encode(subscription) == expected)
        let decoded = try ConsumerProtocol.decodeSubscription(expected)
        #expect(decoded.topics == ["t"])
        #expect(decoded.ownedPartitions == [TopicPartition("t", 0), TopicPartition("t", 1)])
        #expect(decoded.generation == 5)
        #expect(decoded.version == 3)
        #expect(decoded.rackID == nil)
    }

    @Test func decodesVersion0AsOlderClientsWriteIt() throws {
        let decoded = try ConsumerProtocol.decodeSubscription(bytes("0000 00000002 0001 61 0001 62 00000002 abcd"))
        #expect(decoded.topics == ["a", "b"])
        #expect(decoded.userData == bytes("abcd"))
        #expect(decoded.ownedPartitions.isEmpty)
        #expect(decoded.generation == -1)
    }

    @Test func readsAHigherVersionAsVersion3() throws {
        // A future version 4 appends fields; what version 3 knows stays readable.
        let decoded = try ConsumerProtocol.decodeSubscription(
            bytes("0004 00000001 0001 74 ffffffff 00000000 00000007 0002 7231 99"))
        #expect(decoded.topics == ["t"])
        #expect(decoded.generation == 7)
        #expect(decoded.rackID == "r1")
    }

    @Test func assignmentRoundTripsInEachVersion() throws {
        let partitions = [TopicPartition("b", 2), TopicPartition("a", 0), TopicPartition("b", 0)]
        let expected = bytes("""
            0000
            00000002 0001 61 00000001 00000000
                     0001 62 00000002 00000000 00000002
            ffffffff
            """)
        #expect(try ConsumerProtocol.encodeAssignment(partitions, version: 0) == expected)
        #expect(try ConsumerProtocol.decodeAssignment(expected).partitions == partitions.sorted())
        for version: Int16 in 1...3 {
            let encoded = try ConsumerProtocol.encodeAssignment(partitions, version: version)
            #expect(encoded.getInteger(at: encoded.readerIndex, as: Int16.self) == version)
            #expect(try ConsumerProtocol.decodeAssignment(encoded).partitions == partitions.sorted())
        }
    }

    @Test func emptyAssignmentBytesMeanNoPartitions() throws {
        #expect(try ConsumerProtocol.decodeAssignment(ByteBuffer()) == ConsumerProtocol.Assignment(partitions: []))
        #expect(throws: (any Error).self) { try ConsumerProtocol.decodeAssignment(bytes("00")) }
        #expect(throws: (any Error).self) { try ConsumerProtocol.decodeSubscription(bytes("ffff")) }
    }

    @Test func leaderEncodesEachMemberInItsOwnVersion() throws {
        let encoded = try GroupAssignment.encode(
            ["old": .init(partitions: [TopicPartition("t", 0)]), "new": .init(partitions: [TopicPartition("t", 1)])],
            versions: ["old": 0, "new": 5])
        #expect(encoded.map(\.memberId) == ["new", "old"])
        #expect(encoded[0].assignment.getInteger(at: 0, as: Int16.self) == 3)
        #expect(encoded[1].assignment.getInteger(at: 0, as: Int16.self) == 0)
    }
}
