import KafkaProtocol
import NIOCore
import Testing

private func legacyBytes(_ text: String) -> ByteBuffer {
    let code = text.split(separator: "\n").map { line in
        String(line.firstRange(of: "//").map { line[..<$0.lowerBound] } ?? line[...])
    }.joined()
    let digits = code.unicodeScalars.filter { !$0.properties.isWhitespace }.map { UInt8(String($0), radix: 16)! }
    var buffer = ByteBuffer()
    for i in stride(from: 0, to: digits.count, by: 2) { buffer.writeInteger(digits[i] << 4 | digits[i + 1]) }
    return buffer
}

private func text(_ s: String) -> ByteBuffer { ByteBuffer(string: s) }

/// Legacy message sets (magic 0 and 1). Fixtures built with Python's struct, zlib.crc32 and
/// gzip.compress(mtime=0) following implementation.html §5.3.3.
@Suite struct RecordBatchLegacyTests {
    static let magic0 = """
        0000000000000000  // offset 0
        00000011          // message_size 17
        165764b1          // crc32
        00 00             // magic 0, attributes 0
        00000001 6b       // key "k"
        00000002 7630     // value "v0"
        0000000000000001  // offset 1
        00000010          // message_size 16
        4c9f5bc2          // crc32
        00 00             // magic 0, attributes 0
        ffffffff          // key null
        00000002 7631     // value "v1"
        """

    /// A magic 1 gzip wrapper at offset 42 holding inner messages at relative offsets 0, 1, 2
    /// with timestamps 1000, 1001, 1002.
    static let magic1Gzip = """
        000000000000002a00000061bc12912d010100000000000003eaffffffff0000004b1f8b0800000000000203636080
        03f1aed497b98c500ef38bff400064302642454032924dea9397c095bc04124cd94920b924a81813c89c847911357045
        af60e62403002b69dee96b000000
        """

    /// The same wrapper marked LogAppendTime (attributes 0x09) with timestamp 5555.
    static let magic1GzipLogAppendTime = """
        000000000000002a00000061161d4eef010900000000000015b3ffffffff0000004b1f8b0800000000000203636080
        03f1aed497b98c500ef38bff400064302642454032924dea9397c095bc04124cd94920b924a81813c89c847911357045
        af60e62403002b69dee96b000000
        """

    @Test func magic0() throws {
        let bytes = legacyBytes(Self.magic0)
        #expect(LegacyMessageSet.isLegacy(bytes, at: 0))
        let records = try LegacyMessageSet.decode(bytes)
        #expect(records == [
            Record(offset: 0, timestamp: -1, key: text("k"), value: text("v0")),
            Record(offset: 1, timestamp: -1, key: nil, value: text("v1")),
        ])
    }

    @Test func magic1CompressedWrapperHasRelativeOffsets() throws {
        let records = try LegacyMessageSet.decode(legacyBytes(Self.magic1Gzip))
        #expect(records == [
            Record(offset: 40, timestamp: 1000, key: nil, value: text("a")),
            Record(offset: 41, timestamp: 1001, key: text("kb"), value: text("b")),
            Record(offset: 42, timestamp: 1002, key: nil, value: text("c")),
        ])
    }

    @Test func magic1LogAppendTimeOverridesInnerTimestamps() throws {
        let records = try LegacyMessageSet.decode(legacyBytes(Self.magic1GzipLogAppendTime))
        #expect(records.map(\.timestamp) == [5555, 5555, 5555])
        #expect(records.map(\.offset) == [40, 41, 42])
    }

    @Test func partialTrailingMessageIsSkipped() throws {
        var bytes = legacyBytes(Self.magic0)
        bytes.moveWriterIndex(to: bytes.writerIndex - 3)
        #expect(try LegacyMessageSet.decode(bytes).count == 1)
    }

    @Test func corruptCRCDetected() throws {
        var bytes = legacyBytes(Self.magic0)
        bytes.setInteger(UInt8(0x6c), at: 22)  // key "k" -> "l"
        let error = #expect(throws: ProtocolError.self) { _ = try LegacyMessageSet.decode(bytes) }
        #expect(error?.code == .crcMismatch)
        #expect(try LegacyMessageSet.decode(bytes, verifyCRC: false)[0].key == text("l"))
    }

    @Test func v2DecoderPointsToLegacyDecoder() throws {
        var bytes = legacyBytes(Self.magic1Gzip)
        let error = #expect(throws: ProtocolError.self) { _ = try RecordBatch.decode(from: &bytes) }
        #expect(error?.code == .corruptRecordBatch)
        #expect(error?.context.contains("LegacyMessageSet") == true)
    }
}
