import NIOCore
import Testing

@testable import load_generator

@Suite struct HTTPAnswerDecoderTests {
    @Test func answersAreCutAtTheirContentLengthAsBytesArrive() throws {
        let wire = "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\ncontent-length: 12\r\n\r\n{\"a\":\"b:c\"}\n"
            + "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"
        var buffer = ByteBuffer()
        var answers: [HTTPAnswer] = []
        // One byte at a time: an answer is cut only once whole.
        for byte in wire.utf8 {
            buffer.writeInteger(byte)
            while let answer = try HTTPAnswerDecoder.next(from: &buffer) { answers.append(answer) }
        }
        #expect(answers.map(\.status) == [201, 503])
        #expect(String(buffer: answers[0].body) == "{\"a\":\"b:c\"}\n")
        #expect(answers[1].body.readableBytes == 0)
        #expect(buffer.readableBytes == 0)
    }

    @Test func whatTheGeneratorCannotReadFailsLoudly() {
        var chunked = ByteBuffer(string: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n")
        #expect(throws: HTTPAnswerError.chunkedBodyUnsupported) { try HTTPAnswerDecoder.next(from: &chunked) }
        var badStatus = ByteBuffer(string: "HTTP/1.1 2x0 OK\r\n\r\n")
        #expect(throws: HTTPAnswerError.malformedStatusLine) { try HTTPAnswerDecoder.next(from: &badStatus) }
        var badLength = ByteBuffer(string: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n")
        #expect(throws: HTTPAnswerError.malformedContentLength) { try HTTPAnswerDecoder.next(from: &badLength) }
    }

    @Test func requestsAreWrittenWithTheirLengths() {
        let post = HTTPRequestBytes.post("/orders", host: "127.0.0.1", idempotencyKey: "k-1", body: "{\"é\":1}", allocator: .init())
        #expect(String(buffer: post) == "POST /orders HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            + "Idempotency-Key: k-1\r\nContent-Length: 8\r\n\r\n{\"é\":1}")
        #expect(ServiceAddress(url: "http://127.0.0.1:8081") == ServiceAddress(url: "http://127.0.0.1:8081/"))
        #expect(ServiceAddress(url: "http://localhost:80")?.host == "localhost")
        #expect(ServiceAddress(url: "https://x:1") == nil)
        #expect(ServiceAddress(url: "http://x") == nil)
    }
}
