import Events
import OrderLog
import ServiceHTTP

/// What a live-log stream shows: from where, and which events. Read from the query
/// (`from`, `partition` (repeatable), `order`, `type` (repeatable), `follow`) and `Last-Event-ID`; the
/// page's form and the stream take the same parameters.
struct LiveLogQuery: Equatable, Sendable {
    /// Where each partition starts when there is no cursor to resume from.
    var from: LogPosition = .beginning
    /// Resuming a stream: where it stopped (the `Last-Event-ID` a browser sends back).
    var resume: StreamCursor?
    /// Only these partitions (empty: every one).
    var partitions: Set<Int32> = []
    /// Only this order's events.
    var order: String?
    /// Only these event types (empty: every type, and records that are not events).
    var types: Set<EventType> = []
    /// Whether the stream goes on with new events (the page) or ends once caught up (a
    /// script's `follow=false`, like `orders events` without `--follow`).
    var follow = true

    static let parameterNames: Set<String> = ["from", "partition", "order", "type", "follow"]

    /// A parameter the client got wrong, said in one line.
    struct Refusal: Error, Equatable, CustomStringConvertible {
        var detail: String
        var description: String { detail }
    }

    /// `parameters`: name and value pairs in the order given (repeated names repeat).
    init(parameters: [(String, String)], lastEventID: String?, partitionCount: Int32) throws(Refusal) {
        for (name, value) in parameters {
            switch name {
            case "from":
                do throws(ArgumentProblem) {
                    from = try LogPosition.parse(value, option: "from", ends: true)
                } catch {
                    throw Refusal(detail: error.message)
                }
            case "partition":
                guard let partition = Int32(value), partition >= 0 else {
                    throw Refusal(detail: "partition must be a number from 0, not \(quoted(value))")
                }
                guard partition < partitionCount else {
                    throw Refusal(detail: "partition \(partition): the topic has partitions 0 to \(partitionCount - 1)")
                }
                partitions.insert(partition)
            case "order":
                guard FieldLimits.isValidIdentifier(value) else {
                    throw Refusal(detail: "order must be 1 to 64 characters of A-Z a-z 0-9 . _ : -, not \(quoted(value))")
                }
                order = value
            case "type":
                guard let type = EventType(rawValue: value) else {
                    throw Refusal(detail: "type must be one of \(EventType.allCases.map(\.rawValue).joined(separator: ", ")), not \(quoted(value))")
                }
                types.insert(type)
            case "follow":
                guard let value = ["true": true, "false": false][value] else {
                    throw Refusal(detail: "follow must be true or false, not \(quoted(value))")
                }
                follow = value
            default:
                throw Refusal(detail: "unknown query parameter \(quoted(name)); this route takes \(Self.parameterNames.sorted().joined(separator: ", "))")
            }
        }
        if let lastEventID { resume = try Self.cursor(lastEventID, partitionCount: partitionCount) }
    }

    /// A stream's position as a client gives it back (`Last-Event-ID`, `after`), checked
    /// against the topic.
    static func cursor(_ text: String, partitionCount: Int32) throws(Refusal) -> StreamCursor {
        let cursor: StreamCursor
        do throws(StreamCursor.ParseError) {
            cursor = try StreamCursor.parse(text)
        } catch {
            throw Refusal(detail: error.description)
        }
        if let bad = cursor.next.keys.first(where: { $0 >= partitionCount }) {
            throw Refusal(detail: "Last-Event-ID names partition \(bad); the topic has partitions 0 to \(partitionCount - 1)")
        }
        return cursor
    }

    init() {}

    /// The partitions to read: the filter's, or the order's home, or every one. Nil when the
    /// filters cannot both hold (an order outside the chosen partitions): nothing to show.
    func partitionsToRead(partitionCount: Int32, partitionOf: (String) -> Int32) -> [Int32]? {
        var selected = partitions.isEmpty ? Set(0..<partitionCount) : partitions
        if let order {
            let home = partitionOf(order)
            guard selected.contains(home) else { return nil }
            selected = [home]
        }
        return selected.sorted()
    }

    /// Whether an event passes the order and type filters.
    func shows(_ event: LoggedEvent) -> Bool {
        if let order, event.orderId != order { return false }
        if !types.isEmpty {
            guard let name = event.eventType, let type = EventType(rawValue: name), types.contains(type) else { return false }
        }
        return true
    }
}
