import ServiceHTTP
import SQLStore
import Events

/// What a read waits for before answering (read-your-writes).
public enum ReadCondition: Sendable, Hashable {
    /// The projection has applied the event at this partition and offset (a command's `position`).
    case position(partition: Int32, offset: Int64)
    /// The order has reached at least this version.
    case minVersion(Int64)
}

/// The query parameters every read takes, validated: anything else is a 400, never a guess.
public struct ReadParameters: Sendable, Hashable {
    public static let defaultWait: Duration = .milliseconds(5_000)
    public static let maxWaitMs: Int64 = 30_000
    public static let defaultLimit = 50
    public static let maxLimit = 500

    public var condition: ReadCondition?
    public var wait: Duration = defaultWait
    public var generation: Int64?
    public var status: OrderStatus?
    public var customerId: String?
    public var limit = defaultLimit
    public var cursor: ListCursor?

    /// The parameters a route takes besides the common ones.
    public struct Route: OptionSet, Sendable {
        public let rawValue: Int
        public init(rawValue: Int) { self.rawValue = rawValue }
        public static let minVersion = Route(rawValue: 1)
        public static let list = Route(rawValue: 2)
    }

    public init() {}

    /// Parses `pairs` (repeated names are refused: which one would win is a guess).
    public init(_ pairs: [(String, String)], route: Route, partitionCount: Int32) throws(QueryProblem) {
        var seen = Set<String>()
        for (name, value) in pairs {
            guard seen.insert(name).inserted else { throw QueryProblem(.validation, "parameter \(name) is given twice") }
            switch name {
            case "position":
                guard condition == nil else { throw QueryProblem(.validation, "give position or minVersion, not both") }
                condition = try Self.position(value, partitionCount: partitionCount)
            case "minVersion" where route.contains(.minVersion):
                guard condition == nil else { throw QueryProblem(.validation, "give position or minVersion, not both") }
                guard let version = Self.integer(value), version >= 1 else {
                    throw QueryProblem(.validation, "minVersion must be a whole number of at least 1, got \(quoted(value))")
                }
                condition = .minVersion(version)
            case "waitMs":
                guard let ms = Self.integer(value), (0...Self.maxWaitMs).contains(ms) else {
                    throw QueryProblem(.validation, "waitMs must be a whole number from 0 to \(Self.maxWaitMs), got \(quoted(value))")
                }
                wait = .milliseconds(ms)
            case "generation":
                guard let generation = Self.integer(value), generation >= 1 else {
                    throw QueryProblem(.validation, "generation must be a whole number of at least 1, got \(quoted(value))")
                }
                self.generation = generation
            case "status" where route.contains(.list):
                guard let status = OrderStatus(rawValue: value) else {
                    throw QueryProblem(.validation, "status must be one of \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")), got \(quoted(value))")
                }
                self.status = status
            case "customerId" where route.contains(.list):
                guard FieldLimits.isValidIdentifier(value) else {
                    throw QueryProblem(.validation, "customerId must be 1-64 of A-Z a-z 0-9 . _ : -, got \(quoted(value))")
                }
                customerId = value
            case "limit" where route.contains(.list):
                guard let limit = Self.integer(value), (1...Int64(Self.maxLimit)).contains(limit) else {
                    throw QueryProblem(.validation, "limit must be a whole number from 1 to \(Self.maxLimit), got \(quoted(value))")
                }
                self.limit = Int(limit)
            case "cursor" where route.contains(.list):
                guard let cursor = ListCursor(token: value) else {
                    throw QueryProblem(.validation, "cursor is not one this service gave out: \(quoted(value))")
                }
                self.cursor = cursor
            default:
                throw QueryProblem(.validation, "unknown parameter \(quoted(name)) for this route")
            }
        }
    }

    /// `P:O`, a partition of the topic and an offset.
    static func position(_ text: String, partitionCount: Int32) throws(QueryProblem) -> ReadCondition {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let partition = integer(String(parts[0])), let offset = integer(String(parts[1])), offset >= 0 else {
            throw QueryProblem(.validation, "position must be PARTITION:OFFSET as a command answered it, got \(quoted(text))")
        }
        guard (0..<Int64(partitionCount)).contains(partition) else {
            throw QueryProblem(.validation, "position names partition \(partition); the topic has partitions 0 to \(partitionCount - 1)")
        }
        return .position(partition: Int32(partition), offset: offset)
    }

    /// A plain decimal (no sign, no spaces), at most 18 digits.
    static func integer(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }
}
