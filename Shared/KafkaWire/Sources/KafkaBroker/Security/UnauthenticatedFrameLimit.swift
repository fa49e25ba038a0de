import KafkaProtocol
import NIOConcurrencyHelpers
import NIOCore

/// How large a request a SASL connection may send: small until it has authenticated, as Kafka
/// caps it (`sasl.server.max.receive.size`, 512 KiB; CVE-2022-34917), so that anyone who can
/// reach the port cannot make the broker buffer `--max-request-bytes` per connection.
final class UnauthenticatedFrameLimit: Sendable {
    static let unauthenticatedBytes = 512 * 1024

    private let authenticated = NIOLockedValueBox(false)

    /// Lifts the cap; called once the connection's SASL session is established.
    func lift() { authenticated.withLockedValue { $0 = true } }

    var isLifted: Bool { authenticated.withLockedValue { $0 } }
}

/// KafkaFrameDecoder with the unauthenticated cap in front of it.
struct SaslFrameDecoder: NIOSingleStepByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    var frames: KafkaFrameDecoder
    let limit: UnauthenticatedFrameLimit
    /// Once seen lifted it stays so: no lock per frame for the connection's life after login.
    private var lifted = false

    init(frames: KafkaFrameDecoder, limit: UnauthenticatedFrameLimit) {
        self.frames = frames
        self.limit = limit
    }

    mutating func decode(buffer: inout ByteBuffer) throws -> ByteBuffer? {
        if !lifted { lifted = limit.isLifted }
        if !lifted, let size = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: Int32.self),
            Int(size) > UnauthenticatedFrameLimit.unauthenticatedBytes
        {
            // The same check as the frame decoder's, first: a TLS record still reads as one.
            var probe = KafkaFrameDecoder(maxFrameBytes: UnauthenticatedFrameLimit.unauthenticatedBytes)
            _ = try probe.decode(buffer: &buffer)
            throw ProtocolError(.frameTooLarge, "frame of \(size) bytes before SASL authentication (limit \(UnauthenticatedFrameLimit.unauthenticatedBytes))")
        }
        return try frames.decode(buffer: &buffer)
    }

    mutating func decodeLast(buffer: inout ByteBuffer, seenEOF: Bool) throws -> ByteBuffer? {
        try decode(buffer: &buffer)
    }
}
