import CSnappy
import NIOCore

/// Snappy in the two framings Kafka clients use.
///
/// Java clients write the xerial snappy-java stream: an 8-byte magic (0x82 "SNAPPY" 0),
/// int32 version and int32 minimum compatible version (both 1), then chunks of
/// [int32 big-endian compressed length][raw snappy block], each block at most 32 KiB
/// uncompressed. librdkafka writes one raw snappy block with no framing. Both Java and
/// librdkafka read either, detecting the magic; so do we. We write the xerial framing.
enum SnappyCodec {
    static let xerialMagic: [UInt8] = [0x82, 0x53, 0x4E, 0x41, 0x50, 0x50, 0x59, 0x00]
    static let xerialHeaderSize = 16
    static let xerialBlockSize = 32 * 1024

    static func bound(_ inputSize: Int) -> Int {
        let blocks = (inputSize + xerialBlockSize - 1) / xerialBlockSize
        return xerialHeaderSize + blocks * 4 + snappy_max_compressed_length(inputSize) + blocks * 32
    }

    static func compress(_ input: UnsafeRawBufferPointer, into output: inout ByteBuffer) throws {
        output.reserveCapacity(output.writerIndex + bound(input.count))
        output.writeBytes(xerialMagic)
        output.writeInteger(Int32(1), endianness: .big)  // version
        output.writeInteger(Int32(1), endianness: .big)  // minimum compatible version
        guard let base = input.baseAddress else { return }
        var offset = 0
        while offset < input.count {
            let length = Swift.min(xerialBlockSize, input.count - offset)
            let lengthIndex = output.writerIndex
            output.writeInteger(Int32(0), endianness: .big)
            let written = try output.writeWithUnsafeMutableBytes(
                minimumWritableBytes: snappy_max_compressed_length(length)
            ) { dst in
                var compressedLength = dst.count
                let status = snappy_compress(
                    (base + offset).assumingMemoryBound(to: CChar.self), length,
                    dst.baseAddress!.assumingMemoryBound(to: CChar.self), &compressedLength)
                guard status == SNAPPY_OK else {
                    throw ProtocolError(.compression, "snappy_compress failed (\(status.rawValue))")
                }
                return compressedLength
            }
            output.setInteger(Int32(written), at: lengthIndex, endianness: .big)
            offset += length
        }
    }

    static func isXerialFramed(_ input: UnsafeRawBufferPointer) -> Bool {
        guard input.count >= xerialHeaderSize else { return false }
        for i in 0..<xerialMagic.count where input[i] != xerialMagic[i] { return false }
        return true
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout ByteBuffer) throws {
        if isXerialFramed(input) {
            try decompressXerial(input, limit: limit, into: &output)
        } else {
            try decompressBlock(input, limit: limit, alreadyProduced: 0, into: &output)
        }
    }

    private static func uncompressedLength(_ block: UnsafeRawBufferPointer) throws -> Int {
        var length = 0
        let status = block.baseAddress.map {
            snappy_uncompressed_length($0.assumingMemoryBound(to: CChar.self), block.count, &length)
        } ?? SNAPPY_INVALID_INPUT
        guard status == SNAPPY_OK else {
            throw ProtocolError(.compression, "snappy block of \(block.count) bytes has no valid length header")
        }
        return length
    }

    /// Decompresses one raw snappy block, whose header states its uncompressed length.
    private static func decompressBlock(
        _ block: UnsafeRawBufferPointer, limit: Int, alreadyProduced: Int, into output: inout ByteBuffer
    ) throws {
        let length = try uncompressedLength(block)
        guard length <= limit - alreadyProduced else {
            throw ProtocolError(.compression, "snappy data decompresses to more than the limit of \(limit) bytes")
        }
        if length == 0 { return }
        try output.writeWithUnsafeMutableBytes(minimumWritableBytes: length) { dst in
            var produced = length
            let status = snappy_uncompress(
                block.baseAddress!.assumingMemoryBound(to: CChar.self), block.count,
                dst.baseAddress!.assumingMemoryBound(to: CChar.self), &produced)
            guard status == SNAPPY_OK, produced == length else {
                throw ProtocolError(.compression, "snappy data is corrupt (\(status.rawValue))")
            }
            return produced
        }
    }

    private static func decompressXerial(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout ByteBuffer) throws {
        // Pass 1: walk the chunks, check lengths, total the output size, allocate once.
        var total = 0
        var offset = xerialHeaderSize
        while offset < input.count {
            let chunk = try xerialChunk(input, at: offset)
            total += try uncompressedLength(chunk)
            guard total <= limit else {
                throw ProtocolError(.compression, "snappy data decompresses to more than the limit of \(limit) bytes")
            }
            offset += 4 + chunk.count
        }
        output.reserveCapacity(output.writerIndex + total)
        // Pass 2: decompress each chunk into place.
        var produced = 0
        offset = xerialHeaderSize
        while offset < input.count {
            let chunk = try xerialChunk(input, at: offset)
            let before = output.writerIndex
            try decompressBlock(chunk, limit: limit, alreadyProduced: produced, into: &output)
            produced += output.writerIndex - before
            offset += 4 + chunk.count
        }
    }

    private static func xerialChunk(_ input: UnsafeRawBufferPointer, at offset: Int) throws -> UnsafeRawBufferPointer {
        guard input.count - offset >= 4 else {
            throw ProtocolError(.compression, "snappy-java chunk length is truncated at byte \(offset)")
        }
        let length = Int(Int32(bigEndian: input.loadUnaligned(fromByteOffset: offset, as: Int32.self)))
        guard length >= 0, length <= input.count - offset - 4 else {
            throw ProtocolError(.compression, "snappy-java chunk of \(length) bytes at byte \(offset), \(input.count - offset - 4) left")
        }
        return UnsafeRawBufferPointer(rebasing: input[(offset + 4)..<(offset + 4 + length)])
    }
}
