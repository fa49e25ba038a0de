import NIOConcurrencyHelpers
import NIOCore

/// What the consumer and its group member share about the membership: the generation the
/// member is in (what commits are made under), the assignment it received there, and the
/// user data it subscribes with (which the application may change, asking for a rejoin).
final class GroupSession: Sendable {
    private struct State {
        var member: GroupOffsets.Member?
        var assignment: MemberAssignment?
        var subscriptionUserData: ByteBuffer?
        var rejoinRequested = false
    }

    private let state: NIOLockedValueBox<State>

    init(subscriptionUserData: ByteBuffer? = nil) {
        state = NIOLockedValueBox(State(subscriptionUserData: subscriptionUserData))
    }

    var current: GroupOffsets.Member? { state.withLockedValue { $0.member } }

    func set(_ value: GroupOffsets.Member?) { state.withLockedValue { $0.member = value } }

    /// The last assignment received; nil before the first and once the member lost its
    /// partitions or left.
    var assignment: MemberAssignment? {
        get { state.withLockedValue { $0.assignment } }
        set { state.withLockedValue { $0.assignment = newValue } }
    }

    var subscriptionUserData: ByteBuffer? { state.withLockedValue { $0.subscriptionUserData } }

    /// New user data for the next JoinGroup, and a rejoin so the leader sees it.
    func updateSubscriptionUserData(_ data: ByteBuffer?) {
        state.withLockedValue {
            $0.subscriptionUserData = data
            $0.rejoinRequested = true
        }
    }

    /// Whether a rejoin was asked for since the last call.
    func takeRejoinRequest() -> Bool {
        state.withLockedValue { state in
            defer { state.rejoinRequested = false }
            return state.rejoinRequested
        }
    }
}
