import NIOCore

/// An HTTP/1.1 answer: its status and its whole body.
struct HTTPAnswer: Sendable {
    let status: Int
    let body: ByteBuffer
}

enum HTTPAnswerError: Error, Equatable {
    case malformedStatusLine
    case malformedContentLength
    /// The services answer with a Content-Length; a chunked answer is not what they send.
    case chunkedBodyUnsupported
    case headTooLong
    case connectionClosed
}

/// Cuts answers out of the bytes a keep-alive connection receives. Lean on purpose: the
/// services always send `Content-Length`, and the generator must cost the machine little.
struct HTTPAnswerDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTPAnswer

    static let maximumHeadLength = 64 * 1024

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let answer = try Self.next(from: &buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(answer))
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        try decode(context: context, buffer: &buffer)
    }

    /// The first whole answer in `buffer`, consumed; nil while it is incomplete.
    static func next(from buffer: inout ByteBuffer) throws -> HTTPAnswer? {
        let bytes = buffer.readableBytesView
        guard let headLength = headLength(bytes) else {
            if bytes.count > maximumHeadLength { throw HTTPAnswerError.headTooLong }
            return nil
        }
        let head = bytes.prefix(headLength)
        // "HTTP/1.1 200 OK": the status is the three digits after the first space.
        guard head.count >= 12, let status = Int(decimal: head.dropFirst(9).prefix(3)) else {
            throw HTTPAnswerError.malformedStatusLine
        }
        var contentLength = 0
        for line in head.split(separator: UInt8(ascii: "\n")).dropFirst() {
            let name = line.prefix { $0 != UInt8(ascii: ":") }
            if equalsIgnoringCase(name, "content-length") {
                let value = line.dropFirst(name.count + 1).filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\r") }
                guard let length = Int(decimal: value[...]) else { throw HTTPAnswerError.malformedContentLength }
                contentLength = length
            } else if equalsIgnoringCase(name, "transfer-encoding") {
                throw HTTPAnswerError.chunkedBodyUnsupported
            }
        }
        guard bytes.count >= headLength + contentLength else { return nil }
        buffer.moveReaderIndex(forwardBy: headLength)
        let body = buffer.readSlice(length: contentLength)!
        return HTTPAnswer(status: status, body: body)
    }

    /// The length of the head with its blank line, once "\r\n\r\n" has arrived.
    private static func headLength(_ bytes: ByteBufferView) -> Int? {
        var index = bytes.startIndex
        while index + 3 < bytes.endIndex {
            if bytes[index + 3] != UInt8(ascii: "\n") {
                index += 1
                continue
            }
            if bytes[index] == UInt8(ascii: "\r"), bytes[index + 1] == UInt8(ascii: "\n"), bytes[index + 2] == UInt8(ascii: "\r") {
                return index + 4 - bytes.startIndex
            }
            index += 1
        }
        return nil
    }

    private static func equalsIgnoringCase(_ bytes: some Collection<UInt8>, _ name: String) -> Bool {
        bytes.count == name.utf8.count && zip(bytes, name.utf8).allSatisfy { a, b in a | 0x20 == b | 0x20 }
    }
}

extension Int {
    /// A non-negative decimal number written in ASCII digits, nothing else.
    init?<Bytes: Collection<UInt8>>(decimal bytes: Bytes) {
        guard !bytes.isEmpty, bytes.count <= 18 else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
            value = value * 10 + Int(byte - UInt8(ascii: "0"))
        }
        self = value
    }
}

/// The bytes of a request, written by hand (no encoder in the pipeline, nothing per header).
enum HTTPRequestBytes {
    static func post(_ path: String, host: String, idempotencyKey: String, body: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 256 + body.utf8.count)
        buffer.writeString("POST \(path) HTTP/1.1\r\nHost: \(host)\r\nContent-Type: application/json\r\nIdempotency-Key: \(idempotencyKey)\r\nContent-Length: \(body.utf8.count)\r\n\r\n")
        buffer.writeString(body)
        return buffer
    }

    static func get(_ pathAndQuery: String, host: String, allocator: ByteBufferAllocator) -> ByteBuffer {
        var buffer = allocator.buffer(capacity: 128 + pathAndQuery.utf8.count)
        buffer.writeString("GET \(pathAndQuery) HTTP/1.1\r\nHost: \(host)\r\n\r\n")
        return buffer
    }
}
