import NIOConcurrencyHelpers

/// The generation the member is in, while it is in one: what commits are made under.
final class GroupSession: Sendable {
    private let member = NIOLockedValueBox<GroupOffsets.Member?>(nil)

    var current: GroupOffsets.Member? { member.withLockedValue { $0 } }

    func set(_ value: GroupOffsets.Member?) { member.withLockedValue { $0 = value } }
}
