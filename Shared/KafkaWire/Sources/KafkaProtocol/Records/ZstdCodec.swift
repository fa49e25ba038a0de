import CZstd
import NIOCore

/// Zstandard frames. Decoding streams (ZSTD_decompressStream), so frames without a content
/// size in their header (what streaming writers such as zstd-jni produce) work, as do
/// concatenated frames.
enum ZstdCodec {
    static let defaultLevel: Int32 = 3

    static func bound(_ inputSize: Int) -> Int { ZSTD_compressBound(inputSize) }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32?, into output: inout ByteBuffer) throws {
        let bound = ZSTD_compressBound(input.count)
        try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { dst in
            let written = ZSTD_compress(dst.baseAddress, dst.count, input.baseAddress, input.count, level ?? defaultLevel)
            guard ZSTD_isError(written) == 0 else {
                throw ProtocolError(.compression, "ZSTD_compress failed: \(String(cString: ZSTD_getErrorName(written)))")
            }
            return written
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout ByteBuffer) throws {
        guard let context = ZSTD_createDCtx() else {
            throw ProtocolError(.compression, "ZSTD_createDCtx failed")
        }
        defer { ZSTD_freeDCtx(context) }
        // The window is memory the decoder allocates up front from a frame header's claim;
        // no window larger than the output limit is ever needed.
        var windowLog: Int32 = 10
        while windowLog < 27 && (1 << windowLog) < limit { windowLog += 1 }
        ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, windowLog)

        var initial = decompressionInitialCapacity(inputSize: input.count, limit: limit)
        if let base = input.baseAddress {
            // Frames written in one shot state their size; trust it only as a first guess.
            let stated = ZSTD_getFrameContentSize(base, input.count)
            if stated < UInt64(limit) { initial = Swift.max(Int(stated), 1) }
        }
        let start = output.writerIndex
        var source = ZSTD_inBuffer(src: input.baseAddress, size: input.count, pos: 0)
        var hint = 1  // ZSTD_decompressStream returns 0 once a frame is complete and flushed
        while source.pos < source.size || hint != 0 {
            let window = output.decompressionWindow(start: start, limit: limit, initial: initial)
            let consumedBefore = source.pos
            var result = 0
            let produced = output.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { dst in
                var target = ZSTD_outBuffer(dst: dst.baseAddress, size: window, pos: 0)
                result = ZSTD_decompressStream(context, &target, &source)
                return ZSTD_isError(result) == 0 ? target.pos : 0
            }
            guard ZSTD_isError(result) == 0 else {
                throw ProtocolError(.compression, "zstd data is corrupt: \(String(cString: ZSTD_getErrorName(result)))")
            }
            hint = result
            try output.checkDecompressionLimit(start: start, limit: limit, codec: "zstd")
            if source.pos == consumedBefore && produced == 0 {
                throw ProtocolError(.compression, source.pos >= source.size ? "zstd frame is truncated" : "zstd decoder made no progress")
            }
        }
    }
}
