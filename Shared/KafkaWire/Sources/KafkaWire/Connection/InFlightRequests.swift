import KafkaProtocol
import NIOCore

/// The requests written on one connection and still waiting for their response, with the
/// rules of the Kafka protocol: correlation ids increase, a broker answers in request order,
/// so each response must carry the id of the oldest outstanding request.
///
/// A value type that performs no I/O: the channel handler feeds it events and carries out the
/// action it returns, so every rule here is testable without a socket. `Context` is whatever
/// the handler needs to finish a request (its promise, its timeout).
struct InFlightRequests<Context> {
    struct Entry {
        var correlationID: Int32
        var context: Context
    }

    enum State {
        case open
        /// Requests still answered, new ones refused; closes once the last response arrives.
        case draining
        case closed(KafkaError)
    }

    enum WriteAction {
        /// Write the request with this correlation id.
        case write(correlationID: Int32)
        /// The connection is closed (or closing): fail the request with this error.
        case fail(KafkaError)
    }

    enum ResponseAction {
        /// Complete this entry's request with the response.
        case complete(Entry)
        /// Complete this entry, then close the connection: it was the last one while draining.
        case completeAndClose(Entry)
        /// The response fits no outstanding request: close the connection, fail all of these.
        case closeAndFail([Entry], KafkaError)
        /// Already closed: nothing to do.
        case ignore
    }

    enum CloseAction {
        /// Close the connection and fail these entries with the error.
        case closeAndFail([Entry], KafkaError)
        /// Close the connection now; nothing is outstanding.
        case close
        /// Wait: the last response closes the connection.
        case wait
        case ignore
    }

    private(set) var state: State = .open
    private var outstanding = CircularBuffer<Entry>()
    private var nextCorrelationID: Int32

    init(firstCorrelationID: Int32 = 0) {
        self.nextCorrelationID = firstCorrelationID
    }

    var count: Int { outstanding.count }
    /// The request waiting longest: the next response must be its.
    var oldest: Entry? { outstanding.first }
    /// Every outstanding request, oldest first.
    var entries: CircularBuffer<Entry> { outstanding }
    var isEmpty: Bool { outstanding.isEmpty }

    /// A request is about to be written. With a `context` the request awaits a response;
    /// without one (Produce with acks=0) it only consumes a correlation id.
    mutating func write(_ context: Context?) -> WriteAction {
        switch state {
        case .open:
            let id = nextCorrelationID
            // Wraps like Kafka's clients; ids only need to differ among outstanding requests.
            nextCorrelationID = id == .max ? 0 : id + 1
            if let context { outstanding.append(Entry(correlationID: id, context: context)) }
            return .write(correlationID: id)
        case .draining:
            return .fail(KafkaError(.connectionClosed, "connection is closing"))
        case .closed(let error):
            return .fail(error)
        }
    }

    /// A response frame arrived carrying `correlationID`.
    mutating func response(correlationID: Int32) -> ResponseAction {
        switch state {
        case .closed:
            return .ignore
        case .open, .draining:
            guard let first = outstanding.first, first.correlationID == correlationID else {
                let expected = outstanding.first.map { "\($0.correlationID)" } ?? "none outstanding"
                return failAll(KafkaError(
                    .protocolViolation, "response with correlation id \(correlationID), expected \(expected)"))
            }
            outstanding.removeFirst()
            if case .draining = state, outstanding.isEmpty {
                state = .closed(KafkaError(.connectionClosed, "connection closed"))
                return .completeAndClose(first)
            }
            return .complete(first)
        }
    }

    /// The request with `correlationID` waited longer than the request timeout. Later
    /// responses would be out of step, so the connection closes, as in Kafka's clients; the
    /// timed-out request fails with `timedOut`, the others with a retriable `connectionClosed`.
    mutating func timedOut(correlationID: Int32) -> (timedOut: Entry?, others: [Entry], error: KafkaError)? {
        if case .closed = state { return nil }
        guard let index = outstanding.firstIndex(where: { $0.correlationID == correlationID }) else { return nil }
        let entry = outstanding[index]
        outstanding.remove(at: index)
        let others = Array(outstanding)
        outstanding.removeAll()
        let error = KafkaError(.connectionClosed, "connection closed after request \(correlationID) timed out")
        state = .closed(error)
        return (entry, others, error)
    }

    /// The connection failed or the peer closed it: everything outstanding fails (retriable).
    mutating func closed(_ error: KafkaError) -> [Entry] {
        if case .closed = state { return [] }
        state = .closed(error)
        let entries = Array(outstanding)
        outstanding.removeAll()
        return entries
    }

    /// The owner closes the connection: immediately (outstanding requests fail), or
    /// gracefully (outstanding requests are answered first, new ones refused).
    mutating func close(gracefully: Bool) -> CloseAction {
        switch state {
        case .closed:
            return .ignore
        case .open, .draining:
            if gracefully && !outstanding.isEmpty {
                state = .draining
                return .wait
            }
            let entries = closed(KafkaError(.connectionClosed, "connection closed by the client"))
            return entries.isEmpty ? .close : .closeAndFail(entries, KafkaError(.connectionClosed, "connection closed by the client"))
        }
    }

    private mutating func failAll(_ error: KafkaError) -> ResponseAction {
        let entries = closed(error)
        return .closeAndFail(entries, error)
    }
}
