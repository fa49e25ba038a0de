import NIOCore

// Heartbeats, LeaveGroup, the membership check of OffsetCommit, and removing members.
extension GroupStateMachine {
    /// A heartbeat: nil (alive, carry on) or the error that tells the member to rejoin.
    mutating func heartbeat(memberID: String, groupInstanceID: String?, generationID: Int32, now: Instant) -> GroupError? {
        if state == .dead { return .coordinatorNotAvailable }
        if let error = validateCurrentMember(memberID, groupInstanceID: groupInstanceID) { return error }
        if generationID != self.generationID { return .illegalGeneration }
        switch state {
        case .empty, .dead:
            return .unknownMemberID
        case .completingRebalance, .stable:
            touch(memberID, now: now)
            return nil
        case .preparingRebalance:
            touch(memberID, now: now)
            return .rebalanceInProgress
        }
    }

    /// LeaveGroup for one or more members (v3+ batches them; v0-v2 send one). A member may be
    /// named by group instance id alone (administrative removal of a static member).
    mutating func leave(_ leaving: [LeavingMember], now: Instant) -> (result: LeaveResult, actions: [Action]) {
        if state == .dead {
            return (LeaveResult(error: .coordinatorNotAvailable, memberErrors: []), [])
        }
        var actions: [Action] = []
        var errors: [GroupError?] = []
        for identity in leaving {
            if identity.memberID.isEmpty {
                if let instanceID = identity.groupInstanceID, let current = staticMembers[instanceID] {
                    removeMember(current, reason: "static member \(instanceID) removed by LeaveGroup", now: now, into: &actions)
                    errors.append(nil)
                } else {
                    errors.append(.unknownMemberID)
                }
            } else if pendingMembers[identity.memberID] != nil {
                removePendingMember(identity.memberID, now: now, into: &actions)
                errors.append(nil)
            } else if let error = validateCurrentMember(identity.memberID, groupInstanceID: identity.groupInstanceID) {
                errors.append(error)
            } else {
                removeMember(identity.memberID, reason: "member \(identity.memberID) left", now: now, into: &actions)
                errors.append(nil)
            }
        }
        return (LeaveResult(error: nil, memberErrors: errors), actions)
    }

    /// Kafka's validateOffsetCommit plus the state rules of doCommitOffsets. A commit with
    /// generation -1, no member id and no instance id is a "simple" (unmanaged) commit, allowed
    /// only while the group has no members. A member's commit counts as a heartbeat.
    mutating func validateOffsetCommit(memberID: String, groupInstanceID: String?, generationID: Int32, now: Instant) -> GroupError? {
        if state == .dead { return .coordinatorNotAvailable }
        if generationID >= 0 || !memberID.isEmpty || groupInstanceID != nil {
            if let error = validateCurrentMember(memberID, groupInstanceID: groupInstanceID) { return error }
            if generationID != self.generationID { return .illegalGeneration }
        } else if state != .empty {
            return .unknownMemberID
        }
        switch state {
        case .empty, .dead:
            return nil
        case .stable, .preparingRebalance:
            // During PreparingRebalance the commit still goes through: the member learns of the
            // rebalance from its next heartbeat.
            touch(memberID, now: now)
            return nil
        case .completingRebalance:
            // Valid generation but no assignment yet: have the consumer finish the rebalance.
            return .rebalanceInProgress
        }
    }

    /// Restarts a member's session.
    mutating func touch(_ memberID: String, now: Instant) {
        guard let member = members[memberID] else { return }
        members[memberID]?.sessionDeadline = now + member.sessionTimeout
    }

    /// Kafka's removeMemberAndUpdateGroup: its waiters get UNKNOWN_MEMBER_ID, then the group
    /// rebalances (or, mid-rebalance, checks whether everyone left has now joined).
    mutating func removeMember(_ memberID: String, reason: String, now: Instant, into actions: inout [Action]) {
        guard let member = members[memberID] else { return }
        if let join = member.pendingJoin {
            actions.append(.completeJoin(join, .failure(.unknownMemberID, memberID: "")))
        }
        if let sync = member.pendingSync {
            actions.append(.completeSync(sync, .failure(.unknownMemberID)))
        }
        detachMember(memberID)
        actions.append(.memberRemoved(memberID: memberID, reason: reason))
        switch state {
        case .dead, .empty:
            break
        case .stable, .completingRebalance:
            maybePrepareRebalance(reason: reason, now: now, into: &actions)
        case .preparingRebalance:
            tryCompleteJoin(now: now, into: &actions)
        }
    }

    /// Forgets a member without any rebalance decision; a departing leader is replaced by a
    /// member already waiting in JoinGroup if there is one, else the oldest member.
    mutating func detachMember(_ memberID: String) {
        guard let member = members.removeValue(forKey: memberID) else { return }
        memberOrder.removeAll { $0 == memberID }
        if let instanceID = member.groupInstanceID, staticMembers[instanceID] == memberID {
            staticMembers[instanceID] = nil
        }
        pendingMembers[memberID] = nil
        pendingSyncMembers.remove(memberID)
        if pendingSyncMembers.isEmpty { syncDeadline = nil }
        if leaderID == memberID {
            leaderID = memberOrder.first { members[$0]?.isAwaitingJoin == true } ?? memberOrder.first
        }
    }

    /// A member that was told MEMBER_ID_REQUIRED and did not come back (or left).
    mutating func removePendingMember(_ memberID: String, now: Instant, into actions: inout [Action]) {
        pendingMembers[memberID] = nil
        if state == .preparingRebalance {
            tryCompleteJoin(now: now, into: &actions)
        }
    }

    /// The coordinator is going away (Kafka's onGroupUnloaded): the group becomes Dead and
    /// every waiting request is told NOT_COORDINATOR, so clients look for the coordinator again.
    mutating func unload() -> [Action] {
        var actions: [Action] = []
        for id in memberOrder {
            guard var member = members[id] else { continue }
            if let join = member.pendingJoin {
                actions.append(.completeJoin(join, .failure(.notCoordinator, memberID: id)))
            }
            if let sync = member.pendingSync {
                actions.append(.completeSync(sync, .failure(.notCoordinator)))
            }
            member.pendingJoin = nil
            member.pendingSync = nil
            members[id] = member
        }
        state = .dead
        rebalanceTimer = nil
        syncDeadline = nil
        pendingSyncMembers = []
        pendingMembers = [:]
        return actions
    }
}
