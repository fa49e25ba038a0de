import NIOConcurrencyHelpers

/// Hands out producer ids that are never reused, even across crashes: ids are reserved in
/// blocks of 1000 and the end of the current block is written to `<data dir>/producer-ids`
/// before any id from it is handed out (as Kafka's controller does).
final class ProducerIDAllocator: Sendable {
    private struct State {
        var next: Int64
        var blockEnd: Int64
    }

    static let blockSize: Int64 = 1000
    private let path: String
    private let state: NIOLockedValueBox<State>

    init(dataDirectory: String) throws {
        path = dataDirectory + "/producer-ids"
        let reserved = Directory.exists(path) ? Int64((try Directory.readSmallFile(path)).filter { $0.isNumber }) ?? 0 : 0
        state = NIOLockedValueBox(State(next: reserved, blockEnd: reserved))
    }

    func next() throws -> Int64 {
        try state.withLockedValue { state in
            if state.next >= state.blockEnd {
                let end = state.blockEnd + Self.blockSize
                try Directory.writeAtomically(path, contents: "\(end)\n")
                state.blockEnd = end
            }
            defer { state.next += 1 }
            return state.next
        }
    }
}
