import Events

/// How a command ended, as the HTTP layer turns it into a response.
public enum CommandResult: Sendable, Hashable {
    /// In effect in the log (now, or the first time for a retry).
    case accepted(CommandAnswer)
    case refused(CommandRefusal)
    /// The event came back void: a foreign writer got the version first. Retrying decides anew.
    case writeConflict(VoidReason)
    /// Nothing was appended: not ready, partition not owned here, or the order stayed busy.
    case unavailable(UnavailableReason)
    /// The event may or may not be in effect (deadline passed, partition revoked, append
    /// failed): a retry with the same key finds out.
    case outcomeUnknown(UnknownOutcomeReason)
    /// The partition is owned by another instance (`owner`, when known): forward there.
    case notOwner(partition: Int32, owner: String?)
}

/// Why a command was not taken; nothing of it was appended, so any retry is safe.
public enum UnavailableReason: Sendable, Hashable, CustomStringConvertible {
    /// An event that would be in effect cannot be read: the partition stopped there.
    case partitionStopped(partition: Int32, offset: Int64, error: EventDecodingError)
    /// The partition was assigned here and is still being folded up to its end.
    case partitionFolding(partition: Int32, offset: Int64, target: Int64)
    /// Another command's event on the order was not read back within this one's deadline.
    case orderBusy(orderId: String)
    /// The partition was revoked while this command waited for another's event.
    case partitionRevoked(partition: Int32)
    /// The producer did not take the event (full or closing).
    case appendRefused(error: String)

    public var description: String {
        switch self {
        case .partitionStopped(let partition, let offset, let error):
            "partition \(partition) is stopped at offset \(offset): \(error)"
        case .partitionFolding(let partition, let offset, let target):
            "partition \(partition) is still being folded (offset \(offset) of \(target))"
        case .orderBusy(let orderId):
            "order \(orderId) is busy with another command"
        case .partitionRevoked(let partition):
            "partition \(partition) was revoked"
        case .appendRefused(let error):
            "the event could not be appended: \(error)"
        }
    }
}

/// Why a command's outcome is unknown: its event may be in the log or may still land. A retry
/// with the same Idempotency-Key gets the log's answer.
public enum UnknownOutcomeReason: Sendable, Hashable, CustomStringConvertible {
    /// A retry waited its deadline for the command's first attempt, which is still unread.
    case firstAttemptUnconfirmed
    /// A retry waited for the first attempt, and the partition was revoked meanwhile.
    case partitionRevokedWhileRetrying(partition: Int32)
    /// The event was not read back within the command deadline.
    case noReadBack(deadline: Duration)
    /// The partition was revoked before the event was read back.
    case partitionRevoked(partition: Int32)
    /// The event was given up on (the producer refused an earlier copy).
    case abandoned

    public var description: String {
        switch self {
        case .firstAttemptUnconfirmed:
            "the first attempt of this command is still unconfirmed"
        case .partitionRevokedWhileRetrying(let partition):
            "partition \(partition) was revoked"
        case .noReadBack(let deadline):
            "no read-back within the command deadline (\(deadline)); the event may still land"
        case .partitionRevoked(let partition):
            "partition \(partition) was revoked before the event was read back"
        case .abandoned:
            "the event was abandoned"
        }
    }
}
