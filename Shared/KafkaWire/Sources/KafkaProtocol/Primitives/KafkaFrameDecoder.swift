import NIOCore

/// Splits a Kafka byte stream into frames: a 4-byte big-endian size, then that many bytes.
/// Both directions use it (the broker for requests, the client for responses).
///
/// A negative or oversized size is an error (the connection is closed), as Kafka does with
/// `InvalidReceiveException`, so a hostile length cannot make us buffer gigabytes.
public struct KafkaFrameDecoder: NIOSingleStepByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    public let maxFrameBytes: Int

    public init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    public mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let size = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self) else {
            return nil
        }
        guard size >= 0, Int(size) <= maxFrameBytes else {
            // A TLS record starts with its type (0x15 alert, 0x16 handshake) and version 3.x,
            // which read as a size are hundreds of megabytes: say what it is.
            let bytes = buffer.getBytes(at: buffer.readerIndex, length: 2) ?? []
            if bytes.count == 2, bytes[0] == 0x15 || bytes[0] == 0x16, bytes[1] == 0x03 {
                throw ProtocolError(.tlsRecord, "received a TLS record where a Kafka frame was expected")
            }
            throw ProtocolError(.frameTooLarge, "frame of \(size) bytes (limit \(maxFrameBytes))")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size))
    }

    public mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}
