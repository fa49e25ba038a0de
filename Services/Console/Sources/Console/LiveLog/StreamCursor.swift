/// Where a live-log stream is: per partition, the offset of the next record it would send.
/// It is each event's Server-Sent Events `id`, so a browser that reconnects sends it back as
/// `Last-Event-ID` and the stream resumes after the last event it got: no gap, no repeat.
/// Written `0:12,1:4,2:0` (partition:offset, ascending partitions).
struct StreamCursor: Equatable, Sendable, CustomStringConvertible {
    private(set) var next: [Int32: Int64]

    init(_ next: [Int32: Int64] = [:]) {
        self.next = next
    }

    /// The offset to send from in `partition` (its beginning when the cursor does not say).
    func start(of partition: Int32) -> Int64 { next[partition] ?? 0 }

    /// After sending the record at `offset` of `partition`.
    mutating func sent(partition: Int32, offset: Int64) {
        next[partition] = offset + 1
    }

    var description: String {
        next.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value)" }.joined(separator: ",")
    }

    enum ParseError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case tooLong

        var description: String {
            switch self {
            case .malformed(let part): "Last-Event-ID must be partition:offset pairs separated by commas (as 0:12,1:4), not \(part.debugDescription)"
            case .tooLong: "Last-Event-ID is too long"
            }
        }
    }

    /// Reads a cursor as `description` writes it. Partitions past the topic's are the caller's
    /// to refuse (it knows the topic).
    static func parse(_ text: String) throws(ParseError) -> StreamCursor {
        guard text.utf8.count <= 16_384 else { throw .tooLong }
        var next: [Int32: Int64] = [:]
        if text.isEmpty { return StreamCursor() }
        for pair in text.split(separator: ",", omittingEmptySubsequences: false) {
            let parts = pair.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 2, let partition = Int32(parts[0]), partition >= 0,
                  let offset = Int64(parts[1]), offset >= 0, next[partition] == nil
            else { throw .malformed(String(pair.prefix(40))) }
            next[partition] = offset
        }
        return StreamCursor(next)
    }
}
