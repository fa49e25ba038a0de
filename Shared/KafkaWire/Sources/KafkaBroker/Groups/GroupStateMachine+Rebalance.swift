import NIOCore

// Starting and completing rebalances, protocol selection, and the timers: Kafka's
// prepareRebalance, DelayedJoin / InitialDelayedJoin, onCompleteJoin, DelayedSync and the
// heartbeat expirations.
extension GroupStateMachine {
    /// Starts a rebalance unless one is already being prepared (or the group is Dead).
    mutating func maybePrepareRebalance(reason: String, now: Instant, into actions: inout [Action]) {
        switch state {
        case .stable, .completingRebalance, .empty:
            prepareRebalance(reason: reason, now: now, into: &actions)
        case .preparingRebalance, .dead:
            break
        }
    }

    mutating func prepareRebalance(reason: String, now: Instant, into actions: inout [Action]) {
        if state == .completingRebalance {
            // Members waiting in SyncGroup must rejoin instead.
            propagateAssignment(error: .rebalanceInProgress, now: now, into: &actions)
        }
        pendingSyncMembers = []
        syncDeadline = nil
        let timeout = rebalanceTimeout
        if state == .empty {
            // A new group waits a little for the rest of its members before the first
            // assignment, so that N consumers starting together cause one rebalance, not N.
            let delay = configuration.initialRebalanceDelay
            rebalanceTimer = .initialDelay(deadline: now + delay, delay: delay, remaining: max(timeout - delay, .zero))
        } else {
            rebalanceTimer = .join(deadline: now + timeout)
        }
        state = .preparingRebalance
        actions.append(.rebalanceStarted(reason: reason))
        tryCompleteJoin(now: now, into: &actions)
    }

    /// Completes the join phase as soon as every member waits in JoinGroup and no member
    /// handed an id is still expected. The initial delay is never cut short.
    mutating func tryCompleteJoin(now: Instant, into actions: inout [Action]) {
        guard state == .preparingRebalance, case .join? = rebalanceTimer else { return }
        if hasAllMembersJoined {
            completeJoin(now: now, into: &actions)
        }
    }

    var hasAllMembersJoined: Bool {
        pendingMembers.isEmpty && members.values.allSatisfy(\.isAwaitingJoin)
    }

    /// Kafka's onCompleteJoin: dynamic members that did not rejoin are dropped, a new
    /// generation starts and every waiting JoinGroup is answered (the leader with everyone's
    /// metadata). Then the members have a rebalance timeout to send SyncGroup.
    mutating func completeJoin(now: Instant, into actions: inout [Action]) {
        rebalanceTimer = nil
        for id in memberOrder {
            guard let member = members[id], !member.isAwaitingJoin, !member.isStatic else { continue }
            detachMember(id)
            actions.append(.memberRemoved(memberID: id, reason: "did not rejoin within the rebalance timeout"))
        }
        if !electJoinedLeader() && !members.isEmpty {
            // Only static members that have not rejoined are left: wait another round for them
            // (or for their sessions to expire).
            rebalanceTimer = .join(deadline: now + rebalanceTimeout)
            return
        }
        generationID += 1
        if members.isEmpty {
            protocolName = nil
            leaderID = nil
            state = .empty
            actions.append(.generationStarted(generationID: generationID, protocolName: nil, memberCount: 0))
            return
        }
        protocolName = selectProtocol()
        state = .completingRebalance
        actions.append(.generationStarted(generationID: generationID, protocolName: protocolName, memberCount: members.count))
        for id in memberOrder {
            guard var member = members[id] else { continue }
            if let join = member.pendingJoin {
                actions.append(.completeJoin(join, currentGenerationResult(for: id, includeMembers: isLeader(id))))
            }
            member.pendingJoin = nil
            member.isNew = false
            member.sessionDeadline = now + member.sessionTimeout
            members[id] = member
            pendingSyncMembers.insert(id)
        }
        syncDeadline = now + rebalanceTimeout
    }

    /// Keeps the leader if it rejoined, else hands leadership to a member that did.
    /// False when nobody rejoined.
    private mutating func electJoinedLeader() -> Bool {
        if let leaderID, members[leaderID]?.isAwaitingJoin == true { return true }
        guard let joined = memberOrder.first(where: { members[$0]?.isAwaitingJoin == true }) else { return false }
        leaderID = joined
        return true
    }

    /// Kafka's selectProtocol: among the protocols every member supports, each member votes
    /// for its most preferred one; the most votes wins (ties: the earliest member's vote).
    func selectProtocol() -> String? {
        let candidates = commonProtocols
        var votes: [String: Int] = [:]
        var order: [String] = []
        for member in orderedMembers {
            guard let vote = member.protocols.first(where: { candidates.contains($0.name) })?.name else { continue }
            if votes[vote] == nil { order.append(vote) }
            votes[vote, default: 0] += 1
        }
        var best: String?
        for name in order where best == nil || votes[name]! > votes[best!]! {
            best = name
        }
        return best
    }

    /// Runs every timer due at `now`: forgets pending members and members whose session
    /// expired, ends the join phase at its deadline, and drops members that never sent
    /// SyncGroup. Call it at `nextDeadline` (calling it early or late is harmless).
    mutating func expire(now: Instant) -> [Action] {
        var actions: [Action] = []
        // Each pass may set new deadlines; those lie after `now` unless a timeout is zero,
        // which the bound keeps from spinning.
        for _ in 0..<16 {
            guard state != .dead, let deadline = nextDeadline, deadline <= now else { break }
            for (id, deadline) in pendingMembers where deadline <= now {
                removePendingMember(id, now: now, into: &actions)
            }
            for id in memberOrder {
                guard let member = members[id], member.sessionDeadlineApplies, member.sessionDeadline <= now else { continue }
                removeMember(id, reason: "session timeout expired", now: now, into: &actions)
            }
            if state == .preparingRebalance, let timer = rebalanceTimer, timer.deadline <= now {
                switch timer {
                case .initialDelay(_, let delay, let remaining) where newMemberAdded && remaining > .zero:
                    newMemberAdded = false
                    let next = min(configuration.initialRebalanceDelay, remaining)
                    // From the expired deadline, not from `now`: a late wake-up keeps the schedule.
                    rebalanceTimer = .initialDelay(deadline: timer.deadline + next, delay: next, remaining: max(remaining - delay, .zero))
                case .initialDelay, .join:
                    completeJoin(now: now, into: &actions)
                }
            }
            if let syncDeadline, syncDeadline <= now {
                self.syncDeadline = nil
                if state == .completingRebalance || state == .stable {
                    let missing = memberOrder.filter { pendingSyncMembers.contains($0) }
                    for id in missing {
                        removeMember(id, reason: "no SyncGroup within the rebalance timeout", now: now, into: &actions)
                    }
                }
            }
        }
        return actions
    }
}
