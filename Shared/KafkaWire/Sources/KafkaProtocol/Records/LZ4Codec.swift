import CLZ4
import NIOCore

/// LZ4 frames (lz4frame.h), as Kafka uses them since KIP-57: frame format version 01,
/// independent 64 KiB blocks, no block or content checksum, no content size.
/// Decoding accepts any valid frame and concatenated frames.
enum LZ4Codec {
    static func bound(_ inputSize: Int) -> Int {
        var preferences = kafkaPreferences(level: nil)
        return LZ4F_compressFrameBound(inputSize, &preferences)
    }

    static func kafkaPreferences(level: Int32?) -> LZ4F_preferences_t {
        var preferences = LZ4F_preferences_t()
        preferences.frameInfo.blockSizeID = LZ4F_max64KB
        preferences.frameInfo.blockMode = LZ4F_blockIndependent
        preferences.frameInfo.contentChecksumFlag = LZ4F_noContentChecksum
        preferences.frameInfo.blockChecksumFlag = LZ4F_noBlockChecksum
        preferences.frameInfo.contentSize = 0
        preferences.compressionLevel = level ?? 0
        return preferences
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32?, into output: inout ByteBuffer) throws {
        var preferences = kafkaPreferences(level: level)
        let bound = LZ4F_compressFrameBound(input.count, &preferences)
        try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { dst in
            let written = LZ4F_compressFrame(dst.baseAddress, dst.count, input.baseAddress, input.count, &preferences)
            guard LZ4F_isError(written) == 0 else {
                throw ProtocolError(.compression, "LZ4F_compressFrame failed: \(String(cString: LZ4F_getErrorName(written)))")
            }
            return written
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout ByteBuffer) throws {
        var context: OpaquePointer?
        let created = LZ4F_createDecompressionContext(&context, UInt32(LZ4F_VERSION))
        guard LZ4F_isError(created) == 0, let context else {
            throw ProtocolError(.compression, "LZ4F_createDecompressionContext failed")
        }
        defer { LZ4F_freeDecompressionContext(context) }

        let start = output.writerIndex
        let initial = decompressionInitialCapacity(inputSize: input.count, limit: limit)
        var offset = 0
        var hint = 1  // LZ4F_decompress returns 0 once a frame is complete and flushed
        while offset < input.count || hint != 0 {
            let window = output.decompressionWindow(start: start, limit: limit, initial: initial)
            var consumed = input.count - offset
            var result = 0
            let produced = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { dst in
                var produced = window
                result = LZ4F_decompress(context, dst.baseAddress, &produced, input.baseAddress.map { $0 + offset }, &consumed, nil)
                return LZ4F_isError(result) == 0 ? produced : 0
            }
            guard LZ4F_isError(result) == 0 else {
                throw ProtocolError(.compression, "lz4 data is corrupt: \(String(cString: LZ4F_getErrorName(result)))")
            }
            offset += consumed
            hint = result
            try output.checkDecompressionLimit(start: start, limit: limit, codec: "lz4")
            if consumed == 0 && produced == 0 {
                throw ProtocolError(.compression, offset >= input.count ? "lz4 frame is truncated" : "lz4 decoder made no progress")
            }
        }
    }
}
