import KafkaProtocol
import NIOCore

/// Splits the byte stream into request frames: a 4-byte big-endian size, then that many bytes.
/// A negative or oversized size is an error (the connection is closed), as Kafka does with
/// `InvalidReceiveException`, so a hostile length cannot make us buffer gigabytes.
struct FrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    let maxFrameBytes: Int

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        guard let size = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self) else {
            return nil
        }
        guard size >= 0, Int(size) <= maxFrameBytes else {
            throw ProtocolError(.frameTooLarge, "frame of \(size) bytes (limit \(maxFrameBytes))")
        }
        guard buffer.readableBytes >= 4 + Int(size) else { return nil }
        buffer.moveReaderIndex(forwardBy: 4)
        return buffer.readSlice(length: Int(size))
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}
