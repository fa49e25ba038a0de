import Foundation
import NIOConcurrencyHelpers
import NIOCore

/// One Server-Sent Events frame as a browser reads it (comments kept, to count keep-alives).
struct SSEFrame: Equatable {
    var event: String?
    var id: String?
    var data: String?
    var comment: String?
    var retry: Int?

    /// The `log` event's JSON fields.
    var json: [String: Any]? {
        data.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    var position: String? {
        guard event == "log", let json, let partition = json["partition"] as? Int, let offset = json["offset"] as? Int else { return nil }
        return "\(partition):\(offset)"
    }

    /// Splits a stream's text into frames (blank-line separated).
    static func parse(_ text: String) -> [SSEFrame] {
        text.components(separatedBy: "\n\n").filter { !$0.isEmpty }.map { block in
            var frame = SSEFrame()
            for line in block.split(separator: "\n", omittingEmptySubsequences: false) {
                if line.hasPrefix(":") { frame.comment = String(line.dropFirst()).trimmingCharacters(in: .whitespaces); continue }
                let parts = line.split(separator: ":", maxSplits: 1).map(String.init)
                let value = parts.count > 1 ? (parts[1].hasPrefix(" ") ? String(parts[1].dropFirst()) : parts[1]) : ""
                switch parts.first {
                case "event": frame.event = value
                case "id": frame.id = value
                case "data": frame.data = value
                case "retry": frame.retry = Int(value)
                default: break
                }
            }
            return frame
        }
    }
}

/// What a test's pretend client got, written from the stream's task and read by the test.
final class ReceivedText: Sendable {
    private let text = NIOLockedValueBox("")

    func append(_ buffer: ByteBuffer) { text.withLockedValue { $0 += String(buffer: buffer) } }
    var frames: [SSEFrame] { SSEFrame.parse(text.withLockedValue { $0 }) }
    var positions: [String] { frames.compactMap(\.position) }
}
