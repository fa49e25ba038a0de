import KafkaProtocol
import NIOCore
import Testing

@Suite struct CRC32CTests {
    private static let vectors: [(name: String, bytes: [UInt8], crc: UInt32)] = [
        ("123456789", Array("123456789".utf8), 0xE306_9283),
        ("32 zero bytes", [UInt8](repeating: 0, count: 32), 0x8A91_36AA),  // RFC 3720 B.4
        ("32 0xff bytes", [UInt8](repeating: 0xFF, count: 32), 0x62A8_AB43),  // RFC 3720 B.4
        ("0...31", (0..<32).map { UInt8($0) }, 0x46DD_794E),  // RFC 3720 B.4
        ("31...0", (0..<32).reversed().map { UInt8($0) }, 0x113F_DB5C),  // RFC 3720 B.4
        ("empty", [], 0),
    ]

    @Test func knownVectorsHardwarePath() {
        for v in Self.vectors {
            #expect(CRC32C.checksum(v.bytes) == v.crc, "\(v.name)")
        }
    }

    @Test func knownVectorsSoftwarePath() {
        for v in Self.vectors {
            #expect(CRC32C.softwareChecksum(v.bytes) == v.crc, "\(v.name)")
        }
    }

    @Test func hardwareAndSoftwareAgreeOnAllLengthsAndAlignments() {
        var generator = SystemRandomNumberGenerator()
        let data = (0..<4096).map { _ in UInt8.random(in: 0...255, using: &generator) }
        data.withUnsafeBytes { all in
            for offset in 0..<9 {
                for length in [0, 1, 2, 3, 7, 8, 9, 15, 16, 17, 63, 64, 65, 1000, 4000] where offset + length <= all.count {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    #expect(CRC32C.checksum(slice) == CRC32C.softwareChecksum(slice), "offset \(offset) length \(length)")
                }
            }
        }
    }

    @Test func extendingEqualsOneShot() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32C.checksum(bytes)
        for split in 0...bytes.count {
            let first = CRC32C.checksum(Array(bytes[..<split]))
            #expect(CRC32C.checksum(Array(bytes[split...]), extending: first) == whole)
            let softFirst = CRC32C.softwareChecksum(Array(bytes[..<split]))
            #expect(CRC32C.softwareChecksum(Array(bytes[split...]), extending: softFirst) == whole)
        }
    }

    @Test func byteBufferOverloads() {
        var buffer = ByteBuffer()
        buffer.writeString("xx123456789yy")
        buffer.moveReaderIndex(forwardBy: 2)  // readable: "123456789yy"
        #expect(CRC32C.checksum(buffer, at: buffer.readerIndex, length: 9) == 0xE306_9283)
        #expect(CRC32C.checksum(buffer.getSlice(at: 2, length: 9)!) == 0xE306_9283)
        // Out of range: before the reader index, or past the writer index.
        #expect(CRC32C.checksum(buffer, at: 0, length: 9) == nil)
        #expect(CRC32C.checksum(buffer, at: 5, length: 20) == nil)
    }
}
