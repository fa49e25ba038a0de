import KafkaWire
import NIOCore
import Testing

@Suite("Default partitioner (murmur2, as Java and librdkafka)")
struct PartitionerTests {
    /// Apache Kafka's own vectors (clients UtilsTest.testMurmur2).
    static let javaVectors: [(String, Int32)] = [
        ("21", -973_932_308),
        ("foobar", -790_332_482),
        ("a-little-bit-long-string", -985_981_536),
        ("a-little-bit-longer-string", -1_486_304_829),
        ("lkjh234lh9fiuh90y23oiuhsafujhadof229phr9h19h89h8", -58_897_971),
        ("abc", 479_470_107),
    ]

    @Test func murmur2MatchesTheJavaClient() {
        for (text, expected) in Self.javaVectors {
            #expect(Murmur2.hash(Array(text.utf8)) == expected, "murmur2(\(text))")
        }
    }

    @Test func murmur2OfEmptyAndTailLengths() {
        // Every tail length (0-3) exercised; values from the Java definition (seed 0x9747b28c).
        #expect(Murmur2.hash([UInt8]()) == 275_646_681)
        #expect(Murmur2.hash(Array("a".utf8)) != Murmur2.hash(Array("b".utf8)))
    }

    @Test func partitionIsPositiveHashModuloCount() {
        for (text, hash) in Self.javaVectors {
            for count in [1, 2, 3, 6, 7, 100] {
                let expected = Int32(Int(hash & 0x7fff_ffff) % count)
                #expect(KafkaPartitioner.partition(forKey: ByteBuffer(string: text), partitionCount: count) == expected)
            }
        }
        // Java's toPositive, not abs: "21" hashes negative; & 0x7fffffff gives 1173551340.
        #expect(KafkaPartitioner.partition(forKey: ByteBuffer(string: "21"), partitionCount: 1_000_000_000) == 173_551_340)
    }

    @Test func aStringKeyIsPartitionedByItsUTF8Bytes() {
        for (text, _) in Self.javaVectors + [("", 0), ("commande-é-ü-🚚", 0)] {
            for count in [1, 3, 6, 7] {
                let bytes = KafkaPartitioner.partition(forKey: ByteBuffer(string: text), partitionCount: count)
                #expect(KafkaPartitioner.partition(forKey: text, partitionCount: count) == bytes, "\(text)")
                #expect(KafkaPartitioner.partitioner(partitionCount: count)(text) == bytes, "\(text)")
            }
        }
    }
}
