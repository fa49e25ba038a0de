import Events

/// How a command ended, as the HTTP layer turns it into a response.
public enum CommandResult: Sendable, Hashable {
    /// In effect in the log (now, or the first time for a retry).
    case accepted(CommandAnswer)
    case refused(CommandRefusal)
    /// The event came back void: a foreign writer got the version first. Retrying decides anew.
    case writeConflict(VoidReason)
    /// Nothing was appended: not ready, partition not owned here, or the order stayed busy.
    case unavailable(String)
    /// The event may or may not be in effect (deadline passed, partition revoked, append
    /// failed): a retry with the same key finds out.
    case outcomeUnknown(String)
    /// The partition is owned by another instance (`owner`, when known): forward there.
    case notOwner(partition: Int32, owner: String?)
}
