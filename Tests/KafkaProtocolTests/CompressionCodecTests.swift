import KafkaProtocol
import NIOCore
import Testing

/// Bytes from hex text; whitespace ignored, `//` comments to the end of a line.
private func fixture(_ text: String) -> ByteBuffer {
    let code = text.split(separator: "\n").map { line in
        String(line.firstRange(of: "//").map { line[..<$0.lowerBound] } ?? line[...])
    }.joined()
    let digits = code.unicodeScalars.filter { !$0.properties.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    var buffer = ByteBuffer()
    for i in stride(from: 0, to: digits.count, by: 2) { buffer.writeInteger(digits[i] << 4 | digits[i + 1]) }
    return buffer
}

private func string(_ buffer: ByteBuffer) -> String {
    String(decoding: buffer.readableBytesView, as: UTF8.self)
}

private let helloKafka = String(repeating: "hello kafka ", count: 20)  // 240 bytes

@Suite struct CompressionCodecTests {
    static let compressing: [CompressionCodec] = [.gzip, .snappy, .lz4, .zstd]

    static func samples() -> [(String, ByteBuffer)] {
        var generator = SystemRandomNumberGenerator()
        var random = ByteBuffer()
        for _ in 0..<(200 * 1024) { random.writeInteger(UInt8.random(in: 0...255, using: &generator)) }
        var text = ByteBuffer()
        for i in 0..<50_000 { text.writeString("record \(i) value payload;") }
        return [
            ("empty", ByteBuffer()),
            ("one byte", ByteBuffer(bytes: [42])),
            ("text", ByteBuffer(string: helloKafka)),
            ("1.3 MB compressible", text),
            ("200 KB random", random),
        ]
    }

    // MARK: Round trips

    @Test(arguments: CompressionCodecTests.compressing)
    func roundTrip(codec: CompressionCodec) throws {
        for (name, input) in Self.samples() {
            let compressed = try codec.compress(input)
            let output = try codec.decompress(compressed)
            #expect(output == input, "\(codec) \(name)")
        }
    }

    @Test(arguments: CompressionCodecTests.compressing)
    func roundTripWithLevels(codec: CompressionCodec) throws {
        let input = ByteBuffer(string: String(repeating: helloKafka, count: 100))
        for level: Int32 in [1, 9] {
            let compressed = try codec.compress(input, level: level)
            #expect(compressed.readableBytes < input.readableBytes)
            #expect(try codec.decompress(compressed) == input)
        }
    }

    @Test func noneIsIdentity() throws {
        let input = ByteBuffer(string: helloKafka)
        #expect(try CompressionCodec.none.compress(input) == input)
        #expect(try CompressionCodec.none.decompress(input) == input)
        #expect(throws: ProtocolError.self) { try CompressionCodec.none.decompress(input, maxDecompressedSize: 10) }
    }

    @Test func appendingKeepsExistingBytes() throws {
        var output = ByteBuffer(string: "prefix")
        try CompressionCodec.zstd.compress(ByteBuffer(string: helloKafka), appendingTo: &output)
        #expect(output.readString(length: 6) == "prefix")
        var decompressed = ByteBuffer(string: "head")
        try CompressionCodec.zstd.decompress(output, appendingTo: &decompressed)
        #expect(string(decompressed) == "head" + helloKafka)
    }

    @Test func codecFromAttributes() throws {
        #expect(try CompressionCodec(attributes: 0x0013) == .lz4)  // transactional + lz4
        #expect(try CompressionCodec(attributes: 0x0004) == .zstd)
        for id: Int16 in 5...7 {
            #expect(throws: ProtocolError.self) { try CompressionCodec(attributes: id) }
        }
    }

    // MARK: Framing we write

    @Test func snappyWritesXerialFraming() throws {
        let input = ByteBuffer(string: String(repeating: helloKafka, count: 400))  // 96 000 bytes: 3 chunks
        var compressed = try CompressionCodec.snappy.compress(input)
        #expect(compressed.readBytes(length: 8) == [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00])
        #expect(compressed.readInteger(as: Int32.self) == 1)  // version
        #expect(compressed.readInteger(as: Int32.self) == 1)  // compatible version
        var chunks = 0
        while compressed.readableBytes > 0 {
            let length = Int(compressed.readInteger(as: Int32.self)!)
            #expect(compressed.readSlice(length: length) != nil)
            chunks += 1
        }
        #expect(chunks == 3)  // 32 KiB chunks, as snappy-java writes them
    }

    @Test func lz4WritesKafkaFrameDescriptor() throws {
        let compressed = try CompressionCodec.lz4.compress(ByteBuffer(string: helloKafka))
        let head = compressed.getBytes(at: compressed.readerIndex, length: 6)!
        #expect(head[0..<4] == [0x04, 0x22, 0x4D, 0x18])  // frame magic
        #expect(head[4] == 0x60)  // FLG: version 01, independent blocks, no checksums, no size
        #expect(head[5] == 0x40)  // BD: 64 KiB maximum block
    }

    // MARK: Interop fixtures made by other implementations

    /// `gzip -c -n` (gzip 1.12) of "hello kafka " x 20.
    @Test func gzipFromCommandLineTool() throws {
        let data = fixture("1f8b0800000000000003cb48cdc9c957c84e4ccb4e54c818016c00c1080536f0000000")
        #expect(string(try CompressionCodec.gzip.decompress(data)) == helloKafka)
    }

    /// `(printf 'first member|' | gzip -c -n; printf 'second member' | gzip -c -n)`.
    @Test func gzipConcatenatedMembers() throws {
        let data = fixture("""
            1f8b08000000000000034bcb2c2a2e51c84dcd4d4a2daa0100ae20e3b30d000000
            1f8b08000000000000032b4e4dcecf4b51c84dcd4d4a2d02002474fa9f0d000000
            """)
        #expect(string(try CompressionCodec.gzip.decompress(data)) == "first member|second member")
    }

    /// `lz4 -c` (v1.9.4): 4 MiB blocks and a content checksum, unlike Kafka's settings.
    @Test func lz4FromCommandLineTool() throws {
        let data = fixture("04224d186440a716000000cf68656c6c6f206b61666b61200c00cc5061666b61200000000016d0fa39")
        #expect(string(try CompressionCodec.lz4.decompress(data)) == helloKafka)
    }

    /// `zstd -c` (v1.5.4) reading stdin: the frame has no content size, so only streaming
    /// decompression can decode it.
    @Test func zstdFromCommandLineToolWithoutContentSize() throws {
        let data = fixture("28b52ffd04589d00006068656c6c6f206b61666b61200100e1532509167259b1")
        #expect(string(try CompressionCodec.zstd.decompress(data)) == helloKafka)
    }

    /// `zstd -c file`: the frame states its content size.
    @Test func zstdFromCommandLineToolWithContentSize() throws {
        let data = fixture("28b52ffd24f09d00006068656c6c6f206b61666b61200100e1532509167259b1")
        #expect(string(try CompressionCodec.zstd.decompress(data)) == helloKafka)
    }

    /// Two zstd frames back to back decode as one stream.
    @Test func zstdConcatenatedFrames() throws {
        var data = fixture("28b52ffd04589d00006068656c6c6f206b61666b61200100e1532509167259b1")
        var second = try CompressionCodec.zstd.compress(ByteBuffer(string: "tail"))
        data.writeBuffer(&second)
        #expect(string(try CompressionCodec.zstd.decompress(data)) == helloKafka + "tail")
    }

    /// A raw snappy block written by hand, as librdkafka sends them: varint length 12, a
    /// 3-byte literal "abc", then a copy of 9 bytes at offset 3 (tag 0x15 = length-4 << 2 | 1).
    static let rawSnappyBlock = "0c 08616263 1503"

    @Test func snappyRawBlockAsLibrdkafkaWrites() throws {
        let data = fixture(Self.rawSnappyBlock)
        #expect(string(try CompressionCodec.snappy.decompress(data)) == "abcabcabcabc")
    }

    /// The same block, and a second one holding the literal "xyz", in snappy-java framing as
    /// Java clients write it.
    @Test func snappyXerialFramingAsJavaWrites() throws {
        let data = fixture("""
            82534e4150505900  // magic: 0x82 "SNAPPY" 0
            00000001          // version
            00000001          // minimum compatible version
            00000007 \(Self.rawSnappyBlock)
            00000005 03 0878797a
            """)
        #expect(string(try CompressionCodec.snappy.decompress(data)) == "abcabcabcabcxyz")
    }

    @Test func snappyXerialHeaderOnlyIsEmpty() throws {
        let data = fixture("82534e4150505900 00000001 00000001")
        #expect(try CompressionCodec.snappy.decompress(data).readableBytes == 0)
    }

    // MARK: Bounds and corruption

    @Test(arguments: CompressionCodecTests.compressing)
    func decompressionIsBounded(codec: CompressionCodec) throws {
        let size = 4 * 1024 * 1024
        let zeros = ByteBuffer(repeating: 0, count: size)
        let compressed = try codec.compress(zeros)
        #expect(compressed.readableBytes < size / 10)
        let error = #expect(throws: ProtocolError.self) {
            try codec.decompress(compressed, maxDecompressedSize: 1024 * 1024)
        }
        #expect(error?.code == .compression)
        // Exactly at the limit is fine.
        #expect(try codec.decompress(compressed, maxDecompressedSize: size).readableBytes == size)
        #expect(throws: ProtocolError.self) { try codec.decompress(compressed, maxDecompressedSize: size - 1) }
    }

    @Test(arguments: CompressionCodecTests.compressing)
    func truncatedInputThrows(codec: CompressionCodec) throws {
        let input = ByteBuffer(string: String(repeating: helloKafka, count: 50) + "end")
        let compressed = try codec.compress(input)
        for cut in [1, compressed.readableBytes / 2, compressed.readableBytes - 1] {
            let error = #expect(throws: ProtocolError.self, "\(codec) cut at \(cut)") {
                try codec.decompress(compressed.getSlice(at: 0, length: cut)!)
            }
            #expect(error?.code == .compression)
        }
    }

    @Test(arguments: CompressionCodecTests.compressing)
    func garbageThrows(codec: CompressionCodec) throws {
        let garbage = ByteBuffer(bytes: (0..<64).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 0xF1) })
        let error = #expect(throws: ProtocolError.self) { try codec.decompress(garbage) }
        #expect(error?.code == .compression)
    }

    @Test(arguments: CompressionCodecTests.compressing)
    func emptyInputThrows(codec: CompressionCodec) throws {
        // Snappy's raw block needs at least its length varint; the others need a header.
        #expect(throws: ProtocolError.self) { try codec.decompress(ByteBuffer()) }
    }

    @Test func snappyXerialChunkLengthPastEndThrows() throws {
        let data = fixture("82534e4150505900 00000001 00000001 00000009 0c086162631503")
        #expect(throws: ProtocolError.self) { try CompressionCodec.snappy.decompress(data) }
    }
}
