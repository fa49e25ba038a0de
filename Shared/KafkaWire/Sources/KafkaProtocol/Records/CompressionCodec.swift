import NIOCore

/// The compression codecs a RecordBatch can use: bits 0-2 of the batch attributes.
///
/// When a batch is compressed, everything after its 61-byte header (the records) is one
/// compressed stream in the codec's framing:
/// - gzip: gzip members (RFC 1952); decoding accepts concatenated members.
/// - snappy: the xerial "snappy-java" framing Java clients write; decoding also accepts the
///   raw snappy block librdkafka writes.
/// - lz4: LZ4 frames (KIP-57), 64 KiB independent blocks as Kafka writes them.
/// - zstd: standard zstd frames, with or without a content size.
///
/// Decompression is bounded: output past `maxDecompressedSize` bytes throws
/// `ProtocolError(.compression)`, so a small hostile batch cannot exhaust memory.
public enum CompressionCodec: Int8, Sendable, CaseIterable, CustomStringConvertible {
    case none = 0
    case gzip = 1
    case snappy = 2
    case lz4 = 3
    case zstd = 4

    /// Default bound on the size of one decompressed batch.
    public static let defaultMaxDecompressedSize = 256 * 1024 * 1024

    /// Mask of the codec bits in RecordBatch attributes.
    public static let attributeMask: Int16 = 0x07

    /// The codec named by bits 0-2 of a batch's attributes.
    public init(attributes: Int16) throws {
        let id = Int8(truncatingIfNeeded: attributes & Self.attributeMask)
        guard let codec = CompressionCodec(rawValue: id) else {
            throw ProtocolError(.compression, "unknown compression codec id \(id)")
        }
        self = codec
    }

    /// Upper bound on the compressed size of `inputSize` bytes, for reserving output space.
    public func maxCompressedSize(_ inputSize: Int) -> Int {
        switch self {
        case .none: inputSize
        case .gzip: GzipCodec.bound(inputSize)
        case .snappy: SnappyCodec.bound(inputSize)
        case .lz4: LZ4Codec.bound(inputSize)
        case .zstd: ZstdCodec.bound(inputSize)
        }
    }

    public var description: String {
        switch self {
        case .none: "none"
        case .gzip: "gzip"
        case .snappy: "snappy"
        case .lz4: "lz4"
        case .zstd: "zstd"
        }
    }

    /// Compresses the readable bytes of `input` into a new buffer. `level` is the codec's own
    /// level (gzip 1-9, lz4 frame 0-12, zstd 1-22); nil picks the codec's default. Snappy has
    /// no levels. `.none` returns `input` unchanged.
    public func compress(
        _ input: ByteBuffer, level: Int32? = nil, allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> ByteBuffer {
        if self == .none { return input }
        var output = allocator.buffer(capacity: 0)
        try compress(input, level: level, appendingTo: &output)
        return output
    }

    /// Compresses the readable bytes of `input`, appending the compressed stream to `output`.
    public func compress(_ input: ByteBuffer, level: Int32? = nil, appendingTo output: inout ByteBuffer) throws {
        try input.withUnsafeReadableBytes { bytes in
            try compress(bytes, level: level, appendingTo: &output)
        }
    }

    /// Compresses `input`, appending the compressed stream to `output`.
    public func compress(_ input: UnsafeRawBufferPointer, level: Int32? = nil, appendingTo output: inout ByteBuffer) throws {
        switch self {
        case .none: output.writeBytes(input)
        case .gzip: try GzipCodec.compress(input, level: level, into: &output)
        case .snappy: try SnappyCodec.compress(input, into: &output)
        case .lz4: try LZ4Codec.compress(input, level: level, into: &output)
        case .zstd: try ZstdCodec.compress(input, level: level, into: &output)
        }
    }

    /// Decompresses the readable bytes of `input` into a new buffer, throwing
    /// `ProtocolError(.compression)` when the stream is malformed or truncated, or when it
    /// would decompress to more than `maxDecompressedSize` bytes. `.none` returns `input`.
    public func decompress(
        _ input: ByteBuffer,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        allocator: ByteBufferAllocator = ByteBufferAllocator()
    ) throws -> ByteBuffer {
        if self == .none {
            guard input.readableBytes <= maxDecompressedSize else {
                throw ProtocolError(.compression, "\(input.readableBytes) bytes exceed the limit of \(maxDecompressedSize)")
            }
            return input
        }
        var output = allocator.buffer(capacity: 0)
        try decompress(input, maxDecompressedSize: maxDecompressedSize, appendingTo: &output)
        return output
    }

    /// Decompresses the readable bytes of `input`, appending to `output`.
    public func decompress(
        _ input: ByteBuffer,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        appendingTo output: inout ByteBuffer
    ) throws {
        try input.withUnsafeReadableBytes { bytes in
            try decompress(bytes, maxDecompressedSize: maxDecompressedSize, appendingTo: &output)
        }
    }

    /// Decompresses `input`, appending to `output`.
    public func decompress(
        _ input: UnsafeRawBufferPointer,
        maxDecompressedSize: Int = CompressionCodec.defaultMaxDecompressedSize,
        appendingTo output: inout ByteBuffer
    ) throws {
        let limit = Swift.max(0, Swift.min(maxDecompressedSize, Int.max - 1))
        switch self {
        case .none:
            guard input.count <= limit else {
                throw ProtocolError(.compression, "\(input.count) bytes exceed the limit of \(limit)")
            }
            output.writeBytes(input)
        case .gzip: try GzipCodec.decompress(input, limit: limit, into: &output)
        case .snappy: try SnappyCodec.decompress(input, limit: limit, into: &output)
        case .lz4: try LZ4Codec.decompress(input, limit: limit, into: &output)
        case .zstd: try ZstdCodec.decompress(input, limit: limit, into: &output)
        }
    }
}

extension ByteBuffer {
    /// For streaming decompressors: makes room to write, growing geometrically from
    /// `initial` bytes, and returns how many bytes may be written now. Output is allowed to
    /// reach `limit + 1` bytes since `start` so the caller can tell "exactly the limit" from
    /// "over it"; `checkDecompressionLimit` throws for the latter.
    @usableFromInline
    mutating func decompressionWindow(start: Int, limit: Int, initial: Int) -> Int {
        let produced = writerIndex - start
        let room = limit + 1 - produced
        if writableBytes == 0 || (produced == 0 && writableBytes < Swift.min(initial, room)) {
            let grow = produced == 0 ? Swift.max(initial, 1) : Swift.max(produced, 16 * 1024)
            reserveCapacity(writerIndex + Swift.min(grow, room))
        }
        return Swift.min(writableBytes, room)
    }

    @usableFromInline
    func checkDecompressionLimit(start: Int, limit: Int, codec: String) throws {
        if writerIndex - start > limit {
            throw ProtocolError(.compression, "\(codec) data decompresses to more than the limit of \(limit) bytes")
        }
    }
}

/// An initial output size for a decompressor that does not know the result's size.
@usableFromInline
func decompressionInitialCapacity(inputSize: Int, limit: Int) -> Int {
    let (guess, overflow) = inputSize.multipliedReportingOverflow(by: 4)
    return Swift.min(overflow ? limit : Swift.max(guess, 4096), limit + 1)
}
