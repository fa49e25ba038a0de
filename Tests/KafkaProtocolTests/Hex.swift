import KafkaProtocol
import NIOCore
import Testing

/// Bytes from hex text. Whitespace is ignored and `//` starts a comment that runs to the end
/// of the line, so expected bytes can be written one field per line with an explanation.
func hex(_ text: String) -> ByteBuffer {
    var digits: [UInt8] = []
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
        var previousSlash = false
        for c in line.unicodeScalars {
            if c == "/" {
                if previousSlash { break }
                previousSlash = true
                continue
            }
            precondition(!previousSlash, "stray / in \(line)")
            if c.properties.isWhitespace { continue }
            guard let v = UInt8(String(c), radix: 16) else {
                preconditionFailure("not a hex digit: \(c) in \(line)")
            }
            digits.append(v)
        }
    }
    precondition(digits.count % 2 == 0, "odd number of hex digits")
    var buffer = ByteBuffer()
    var i = 0
    while i < digits.count {
        buffer.writeInteger(digits[i] << 4 | digits[i + 1])
        i += 2
    }
    return buffer
}

/// Lowercase hex of a buffer's readable bytes.
func hexString(_ buffer: ByteBuffer) -> String {
    let table = Array("0123456789abcdef")
    var s = ""
    s.reserveCapacity(buffer.readableBytes * 2)
    for byte in buffer.readableBytesView {
        s.append(table[Int(byte >> 4)])
        s.append(table[Int(byte & 0xf)])
    }
    return s
}

/// A buffer holding exactly `bytes`.
func bytes(_ bytes: [UInt8]) -> ByteBuffer {
    ByteBuffer(bytes: bytes)
}

/// A fixed UUID for tests: 00 01 02 ... 0f.
let uuidA = KafkaUUID(high: 0x0001_0203_0405_0607, low: 0x0809_0a0b_0c0d_0e0f)
/// Another fixed UUID: 10 11 12 ... 1f.
let uuidB = KafkaUUID(high: 0x1011_1213_1415_1617, low: 0x1819_1a1b_1c1d_1e1f)

/// Golden-byte check: `message` encodes at `version` to exactly `expectedHex`; decoding those
/// bytes gives `message` back and consumes all of them; every strict prefix of them fails to
/// decode with a ProtocolError (truncated input never crashes or succeeds).
func checkGolden<M: KafkaMessage>(
    _ message: M, version: Int16, _ expectedHex: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    let expected = hex(expectedHex)
    var encoded = ByteBuffer()
    try message.encode(to: &encoded, version: version)
    #expect(hexString(encoded) == hexString(expected), "encode \(M.self) v\(version)", sourceLocation: sourceLocation)

    var input = expected
    let decoded = try M(from: &input, version: version)
    #expect(decoded == message, "decode \(M.self) v\(version)", sourceLocation: sourceLocation)
    #expect(input.readableBytes == 0, "decode \(M.self) v\(version) left bytes", sourceLocation: sourceLocation)

    for length in 0..<expected.readableBytes {
        var prefix = expected.getSlice(at: expected.readerIndex, length: length)!
        #expect(throws: ProtocolError.self, "prefix of \(length) bytes", sourceLocation: sourceLocation) {
            _ = try M(from: &prefix, version: version)
        }
    }
}

/// Decodes `hexText` at `version`, re-encodes, and expects the same bytes back.
@discardableResult
func checkRoundTrip<M: KafkaMessage>(
    _ type: M.Type, version: Int16, _ hexText: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws -> M {
    let original = hex(hexText)
    var input = original
    let decoded = try M(from: &input, version: version)
    #expect(input.readableBytes == 0, sourceLocation: sourceLocation)
    var encoded = ByteBuffer()
    try decoded.encode(to: &encoded, version: version)
    #expect(hexString(encoded) == hexString(original), sourceLocation: sourceLocation)
    return decoded
}
