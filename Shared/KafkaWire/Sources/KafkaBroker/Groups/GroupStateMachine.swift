import NIOCore

/// One classic-protocol consumer group, as Kafka's GroupMetadata + GroupCoordinator keep it:
/// members, generation, leader, selected protocol and the rebalance state.
///
/// A value type with no I/O and no clock: every event (a JoinGroup, a SyncGroup, a heartbeat,
/// a LeaveGroup, time passing) comes in with the current instant, and what must happen
/// outside (answer a waiting JoinGroup or SyncGroup, log a rebalance) comes back as `Action`s.
/// Timers are state: the machine keeps its deadlines (sessions, rebalance, pending syncs) and
/// `nextDeadline` tells the owner when to call `expire(now:)` next.
///
/// States (Kafka's GroupState):
/// - Empty: no members (a new group, or one whose members all left); may still own offsets.
/// - PreparingRebalance: waiting for every known member to (re)send JoinGroup, until the
///   rebalance timeout (or, for a new group, the initial rebalance delay).
/// - CompletingRebalance: JoinGroup answered, waiting for the leader's SyncGroup.
/// - Stable: assignment distributed; heartbeats keep members alive.
/// - Dead: unloaded (broker shutting down); every request gets COORDINATOR_NOT_AVAILABLE.
///
/// The event handlers live in the extensions: `+Join`, `+Sync`, `+Membership` (heartbeat,
/// leave, offset-commit checks, removal), `+Rebalance` (starting and completing rebalances,
/// protocol selection, timers).
struct GroupStateMachine: Sendable {
    typealias Instant = ContinuousClock.Instant

    enum State: String, Hashable, Sendable, CaseIterable {
        case empty = "Empty"
        case preparingRebalance = "PreparingRebalance"
        case completingRebalance = "CompletingRebalance"
        case stable = "Stable"
        case dead = "Dead"
    }

    /// Names one waiting JoinGroup or SyncGroup request; the owner maps it to its continuation.
    struct RequestID: Hashable, Sendable, CustomStringConvertible {
        var rawValue: UInt64
        init(_ rawValue: UInt64) { self.rawValue = rawValue }
        var description: String { "#\(rawValue)" }
    }

    /// One (name, metadata) entry of a JoinGroup, in the member's order of preference.
    struct GroupProtocol: Hashable, Sendable {
        var name: String
        var metadata: ByteBuffer

        init(name: String, metadata: ByteBuffer) {
            self.name = name
            self.metadata = metadata
        }
    }

    /// The rebalance phase's timer, set only in PreparingRebalance.
    enum RebalanceTimer: Hashable, Sendable {
        /// A new group waiting for more members (InitialDelayedJoin): `delay` is this round's
        /// wait, `remaining` what is left of the rebalance timeout for further rounds.
        case initialDelay(deadline: Instant, delay: Duration, remaining: Duration)
        /// Waiting for every member to rejoin, until the rebalance timeout (DelayedJoin).
        case join(deadline: Instant)

        var deadline: Instant {
            switch self {
            case .initialDelay(let deadline, _, _), .join(let deadline): deadline
            }
        }
    }

    let groupID: String
    let configuration: GroupCoordinatorConfiguration

    // The handlers in the extensions (other files) change these; nothing outside the machine
    // should, hence the doc comments rather than access control.

    /// Current state; only the machine changes it.
    var state: State = .empty
    /// Incremented at the end of every rebalance (also when it leaves the group Empty).
    var generationID: Int32 = 0
    /// The protocol type of the first member ("consumer", "connect", ...), kept while Empty.
    var protocolType: String?
    /// The protocol chosen for the current generation; nil while Empty.
    var protocolName: String?
    var leaderID: String?
    var members: [String: GroupMember] = [:]
    /// Member ids in joining order: response order and the choice of a new leader.
    var memberOrder: [String] = []
    /// Members told MEMBER_ID_REQUIRED that have not joined with their new id yet, with the
    /// instant after which they are forgotten (their session timeout).
    var pendingMembers: [String: Instant] = [:]
    /// group.instance.id -> member id, for static members.
    var staticMembers: [String: String] = [:]
    /// Members that got their JoinGroup response and have not sent SyncGroup yet.
    var pendingSyncMembers: Set<String> = []
    /// When members still in `pendingSyncMembers` are removed (DelayedSync).
    var syncDeadline: Instant?
    var rebalanceTimer: RebalanceTimer?
    /// A member joined during a new group's initial delay: wait one more round.
    var newMemberAdded = false

    init(groupID: String, configuration: GroupCoordinatorConfiguration) {
        self.groupID = groupID
        self.configuration = configuration
    }

    var isEmptyOfMembers: Bool { members.isEmpty && pendingMembers.isEmpty }

    func isLeader(_ memberID: String) -> Bool { leaderID == memberID }

    /// The longest rebalance timeout of the members: how long a rebalance waits.
    var rebalanceTimeout: Duration {
        members.values.map(\.rebalanceTimeout).max() ?? .zero
    }

    /// The members in joining order.
    var orderedMembers: [GroupMember] { memberOrder.compactMap { members[$0] } }

    /// The earliest instant at which `expire(now:)` has something to do, nil when nothing
    /// is scheduled.
    var nextDeadline: Instant? {
        guard state != .dead else { return nil }
        var deadlines: [Instant] = Array(pendingMembers.values)
        for member in members.values where member.sessionDeadlineApplies {
            deadlines.append(member.sessionDeadline)
        }
        if state == .preparingRebalance, let rebalanceTimer { deadlines.append(rebalanceTimer.deadline) }
        if let syncDeadline { deadlines.append(syncDeadline) }
        return deadlines.min()
    }
}

/// A member of a classic group.
struct GroupMember: Sendable {
    var memberID: String
    /// Static membership (KIP-345): the id a restarted instance keeps.
    var groupInstanceID: String?
    var clientID: String
    var clientHost: String
    var sessionTimeout: Duration
    var rebalanceTimeout: Duration
    var protocolType: String
    var protocols: [GroupStateMachine.GroupProtocol]
    /// What the leader assigned in the current generation (empty until then).
    var assignment: ByteBuffer = ByteBuffer()
    /// The JoinGroup this member is waiting on, if any.
    var pendingJoin: GroupStateMachine.RequestID?
    /// The SyncGroup this member is waiting on, if any.
    var pendingSync: GroupStateMachine.RequestID?
    /// Joined during the current rebalance and not answered yet.
    var isNew: Bool
    /// When the member is dropped unless heard from (join, sync, heartbeat, commit).
    var sessionDeadline: ContinuousClock.Instant

    var isStatic: Bool { groupInstanceID != nil }
    var isAwaitingJoin: Bool { pendingJoin != nil }
    var isAwaitingSync: Bool { pendingSync != nil }

    /// Kafka's hasSatisfiedHeartbeat: a member waiting in JoinGroup or SyncGroup is alive by
    /// definition (the rebalance timeout bounds that wait), except a new member, which may
    /// vanish while it waits.
    var sessionDeadlineApplies: Bool {
        isNew || (!isAwaitingJoin && !isAwaitingSync)
    }

    func metadata(for protocolName: String?) -> ByteBuffer {
        protocols.first { $0.name == protocolName }?.metadata ?? ByteBuffer()
    }
}

/// Why the group coordinator refused a request; mapped to Kafka error codes by the actor.
enum GroupError: Error, Hashable, Sendable {
    case unknownMemberID
    case illegalGeneration
    case rebalanceInProgress
    case memberIDRequired
    case inconsistentGroupProtocol
    case fencedInstanceID
    case invalidSessionTimeout
    case invalidGroupID
    case coordinatorNotAvailable
    case notCoordinator
}

extension GroupStateMachine {
    /// A JoinGroup as the machine needs it.
    struct JoinRequest: Sendable {
        var memberID: String
        var groupInstanceID: String?
        var clientID: String
        var clientHost: String
        var sessionTimeout: Duration
        var rebalanceTimeout: Duration
        var protocolType: String
        var protocols: [GroupProtocol]
        /// JoinGroup v4+ without a group instance id: a member without an id is first
        /// given one with MEMBER_ID_REQUIRED (KIP-394).
        var requireKnownMemberID: Bool
        /// JoinGroup v9+: a static leader that rejoins may be told to skip the assignment.
        var supportsSkippingAssignment: Bool
        /// Random part of a new member id (a UUID), supplied so the machine stays pure.
        var uniqueSuffix: String
        var reason: String?

        init(
            memberID: String, groupInstanceID: String? = nil, clientID: String, clientHost: String,
            sessionTimeout: Duration, rebalanceTimeout: Duration, protocolType: String,
            protocols: [GroupProtocol], requireKnownMemberID: Bool, supportsSkippingAssignment: Bool = false,
            uniqueSuffix: String, reason: String? = nil
        ) {
            self.memberID = memberID
            self.groupInstanceID = groupInstanceID
            self.clientID = clientID
            self.clientHost = clientHost
            self.sessionTimeout = sessionTimeout
            self.rebalanceTimeout = rebalanceTimeout
            self.protocolType = protocolType
            self.protocols = protocols
            self.requireKnownMemberID = requireKnownMemberID
            self.supportsSkippingAssignment = supportsSkippingAssignment
            self.uniqueSuffix = uniqueSuffix
            self.reason = reason
        }
    }

    /// A SyncGroup as the machine needs it.
    struct SyncRequest: Sendable {
        var memberID: String
        var groupInstanceID: String?
        var generationID: Int32
        /// SyncGroup v5+ names the protocol type and name it believes in; checked when present.
        var protocolType: String?
        var protocolName: String?
        /// The leader's assignment, (member id, bytes); ignored from followers.
        var assignments: [(memberID: String, assignment: ByteBuffer)]

        init(
            memberID: String, groupInstanceID: String? = nil, generationID: Int32,
            protocolType: String? = nil, protocolName: String? = nil,
            assignments: [(memberID: String, assignment: ByteBuffer)] = []
        ) {
            self.memberID = memberID
            self.groupInstanceID = groupInstanceID
            self.generationID = generationID
            self.protocolType = protocolType
            self.protocolName = protocolName
            self.assignments = assignments
        }
    }

    /// One member named in a LeaveGroup.
    struct LeavingMember: Hashable, Sendable {
        var memberID: String
        var groupInstanceID: String?

        init(memberID: String, groupInstanceID: String? = nil) {
            self.memberID = memberID
            self.groupInstanceID = groupInstanceID
        }
    }

    /// The answer to a JoinGroup.
    struct JoinResult: Hashable, Sendable {
        struct Member: Hashable, Sendable {
            var memberID: String
            var groupInstanceID: String?
            var metadata: ByteBuffer
        }

        var error: GroupError?
        var memberID: String
        var generationID: Int32 = -1
        var protocolType: String?
        var protocolName: String?
        var leaderID: String = ""
        var skipAssignment = false
        /// Every member's metadata for the chosen protocol: for the leader only.
        var members: [Member] = []

        static func failure(_ error: GroupError, memberID: String) -> JoinResult {
            JoinResult(error: error, memberID: memberID)
        }
    }

    /// The answer to a SyncGroup.
    struct SyncResult: Hashable, Sendable {
        var error: GroupError?
        var protocolType: String?
        var protocolName: String?
        var assignment: ByteBuffer = ByteBuffer()

        static func failure(_ error: GroupError) -> SyncResult { SyncResult(error: error) }
    }

    /// The answer to a LeaveGroup: a group-level error or one result per leaving member.
    struct LeaveResult: Hashable, Sendable {
        var error: GroupError?
        var memberErrors: [GroupError?]
    }

    /// What the owner must do after an event.
    enum Action: Hashable, Sendable {
        /// Answer the waiting JoinGroup `RequestID`.
        case completeJoin(RequestID, JoinResult)
        /// Answer the waiting SyncGroup `RequestID`.
        case completeSync(RequestID, SyncResult)
        /// For the log: a rebalance started.
        case rebalanceStarted(reason: String)
        /// For the log: a rebalance ended with this generation (the group may be Empty).
        case generationStarted(generationID: Int32, protocolName: String?, memberCount: Int)
        /// For the log: a member was removed.
        case memberRemoved(memberID: String, reason: String)
    }

    /// What DescribeGroups shows of the group.
    struct Summary: Hashable, Sendable {
        struct Member: Hashable, Sendable {
            var memberID: String
            var groupInstanceID: String?
            var clientID: String
            var clientHost: String
            var metadata: ByteBuffer
            var assignment: ByteBuffer
        }

        var state: State
        var protocolType: String
        var protocolName: String
        var members: [Member]
    }

    /// Kafka's GroupMetadata.summary: protocol, metadata and assignments only when Stable.
    var summary: Summary {
        let stable = state == .stable
        return Summary(
            state: state,
            protocolType: protocolType ?? "",
            protocolName: stable ? (protocolName ?? "") : "",
            members: state == .dead ? [] : orderedMembers.map { member in
                Summary.Member(
                    memberID: member.memberID, groupInstanceID: member.groupInstanceID,
                    clientID: member.clientID, clientHost: member.clientHost,
                    metadata: stable ? member.metadata(for: protocolName) : ByteBuffer(),
                    assignment: stable ? member.assignment : ByteBuffer())
            })
    }
}
