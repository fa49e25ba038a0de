import NIOCore
import OrderLog
import ServiceHTTP

/// The live log's Server-Sent Events frames (text/event-stream). Named events, so a page
/// listens for each kind: `log` (one record, its `id` the stream's cursor after it),
/// `caught-up` (the records there were at the start are all sent; new ones follow),
/// `failure` (the log could not be read; the stream ends and the browser comes back).
enum ServerSentEvents {
    /// The first frame: how long a browser waits before reconnecting, in ms.
    static func retry(milliseconds: Int) -> ByteBuffer {
        ByteBuffer(string: "retry: \(milliseconds)\n\n")
    }

    static func log(_ event: LoggedEvent, cursor: StreamCursor) -> ByteBuffer {
        // JSON has no raw line breaks (they are escaped in strings), so one data line.
        var buffer = ByteBuffer(string: "id: \(cursor)\nevent: log\ndata: ")
        var json = jsonBuffer(event)
        buffer.writeBuffer(&json)
        buffer.writeString("\n\n")
        return buffer
    }

    static let caughtUp = ByteBuffer(string: "event: caught-up\ndata: {}\n\n")

    /// A comment: ignored by browsers, it tells whether the client is still there.
    static let keepAlive = ByteBuffer(string: ": keep-alive\n\n")

    static func failure(_ detail: String) -> ByteBuffer {
        var buffer = ByteBuffer(string: "event: failure\ndata: ")
        var json = jsonBuffer(["detail": detail])
        buffer.writeBuffer(&json)
        buffer.writeString("\n\n")
        return buffer
    }
}
