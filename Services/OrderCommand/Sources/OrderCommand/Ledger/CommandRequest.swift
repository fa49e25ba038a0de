import Events

/// A command as the HTTP layer hands it over: validated, with its identity and conditions.
public struct CommandRequest: Hashable, Sendable {
    /// The client's `Idempotency-Key`, or one the server made.
    public var commandId: String
    public var orderId: String
    public var command: Command
    /// `If-Match`: the order version the client saw; nil to decide against whatever is current.
    public var expectedVersion: Int64?
    public var traceparent: String?
    /// The customer a customer's token is for: the command may act on that customer's orders
    /// only (another's reads as missing). Nil: any order (no authentication, or staff).
    public var customerScope: String?
    /// Who asks (the token's subject, `anonymous` without authentication): the event's actor.
    public var actor: String?

    public init(
        commandId: String, orderId: String, command: Command, expectedVersion: Int64? = nil, traceparent: String? = nil,
        customerScope: String? = nil, actor: String? = nil
    ) {
        self.commandId = commandId
        self.orderId = orderId
        self.command = command
        self.expectedVersion = expectedVersion
        self.traceparent = traceparent
        self.customerScope = customerScope
        self.actor = actor
    }
}

/// A command in effect: what the client is told, the first time and on every retry.
public struct CommandAnswer: Hashable, Sendable {
    public var orderId: String
    public var version: Int64
    public var partition: Int32
    public var offset: Int64
    /// The command placed the order (201 + Location), as opposed to changing it (200).
    public var created: Bool

    public init(orderId: String, version: Int64, partition: Int32, offset: Int64, created: Bool) {
        self.orderId = orderId
        self.version = version
        self.partition = partition
        self.offset = offset
        self.created = created
    }

    /// The read-your-writes token `partition:offset`.
    public var position: String { "\(partition):\(offset)" }
}

/// Why a command was refused without appending anything.
public enum CommandRefusal: Hashable, Sendable {
    case rejected(Rejection)
    /// `If-Match` named another version than the order's current one.
    case versionConflict(expected: Int64, current: Int64)
    /// The idempotency key was used before for another command.
    case idempotencyKeyReuse(orderId: String)
}
