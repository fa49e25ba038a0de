/// What wakes an idle group member: its heartbeat timer, or the consumer closing.
enum GroupEvent: Sendable, Hashable {
    case heartbeatDue
    case leave
}
