/// What wakes an idle group member: its heartbeat timer, the consumer closing, or the
/// application asking for a rejoin (new subscription user data).
enum GroupEvent: Sendable, Hashable {
    case heartbeatDue
    case leave
    /// Only wakes the member: the request itself is in `GroupSession`, so it is not lost
    /// when the event buffer drops old events.
    case rejoin
}
