import CZlib
import NIOCore

/// gzip (RFC 1952) through zlib: what Java's GZIPOutputStream and librdkafka write.
enum GzipCodec {
    private static let windowBits: Int32 = 15 + 16  // 32 KiB window, gzip wrapper

    /// Upper bound on the compressed size: zlib's bound plus the gzip wrapper's extra 12 bytes.
    static func bound(_ inputSize: Int) -> Int {
        Int(compressBound(uLong(inputSize))) + 12
    }

    static func compress(_ input: UnsafeRawBufferPointer, level: Int32?, into output: inout ByteBuffer) throws {
        guard input.count <= Int(UInt32.max) else {
            throw ProtocolError(.compression, "gzip input of \(input.count) bytes is too large")
        }
        var stream = z_stream()
        let level = level ?? Z_DEFAULT_COMPRESSION
        let rc = deflateInit2_(
            &stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY,
            zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else {
            throw ProtocolError(.compression, "gzip deflateInit2 failed (\(rc)), level \(level)")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, uLong(input.count)))
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)
        try output.writeWithUnsafeMutableBytes(minimumWritableBytes: bound) { dst in
            stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
            stream.avail_out = uInt(Swift.min(dst.count, Int(UInt32.max)))
            let rc = deflate(&stream, Z_FINISH)
            guard rc == Z_STREAM_END else {
                throw ProtocolError(.compression, "gzip deflate failed (\(rc))")
            }
            return Int(stream.total_out)
        }
    }

    static func decompress(_ input: UnsafeRawBufferPointer, limit: Int, into output: inout ByteBuffer) throws {
        guard input.count <= Int(UInt32.max) else {
            throw ProtocolError(.compression, "gzip input of \(input.count) bytes is too large")
        }
        var stream = z_stream()
        let rc = inflateInit2_(&stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard rc == Z_OK else { throw ProtocolError(.compression, "gzip inflateInit2 failed (\(rc))") }
        defer { inflateEnd(&stream) }
        stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
        stream.avail_in = uInt(input.count)

        let start = output.writerIndex
        let initial = decompressionInitialCapacity(inputSize: input.count, limit: limit)
        while true {
            let window = output.decompressionWindow(start: start, limit: limit, initial: initial)
            var status: Int32 = Z_OK
            output.writeWithUnsafeMutableBytes(minimumWritableBytes: 0) { dst in
                stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
                stream.avail_out = uInt(window)
                status = inflate(&stream, Z_NO_FLUSH)
                return window - Int(stream.avail_out)
            }
            try output.checkDecompressionLimit(start: start, limit: limit, codec: "gzip")
            switch status {
            case Z_OK:
                continue
            case Z_STREAM_END:
                // Concatenated members (gzip -c a b, or a writer that flushed members) are one
                // stream. Like Java's GZIPInputStream, bytes after a member that do not start
                // another member are ignored.
                let remaining = Int(stream.avail_in)
                guard remaining >= 2, stream.next_in[0] == 0x1f, stream.next_in[1] == 0x8b else { return }
                inflateReset(&stream)
            case Z_BUF_ERROR where stream.avail_in == 0:
                throw ProtocolError(.compression, "gzip stream is truncated")
            case Z_BUF_ERROR:
                continue  // output full: the next window grows the buffer
            default:
                let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
                throw ProtocolError(.compression, "gzip data is corrupt: \(message)")
            }
        }
    }
}
