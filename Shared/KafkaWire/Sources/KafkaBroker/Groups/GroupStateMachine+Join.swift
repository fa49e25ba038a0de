import NIOCore

// JoinGroup, as Kafka's GroupCoordinator.handleJoinGroup / doUnknownJoinGroup /
// doCurrentMemberJoinGroup / doStaticMemberJoin handle it.
extension GroupStateMachine {
    /// INVALID_SESSION_TIMEOUT unless `timeout` lies within the configured bounds.
    static func validateSessionTimeout(_ timeout: Duration, _ configuration: GroupCoordinatorConfiguration) -> GroupError? {
        timeout < configuration.minSessionTimeout || timeout > configuration.maxSessionTimeout
            ? .invalidSessionTimeout : nil
    }

    /// A JoinGroup. The answer may come at once (an error, MEMBER_ID_REQUIRED, the current
    /// generation) or when the rebalance completes; either way as a `.completeJoin(requestID, _)`.
    mutating func join(_ request: JoinRequest, requestID: RequestID, now: Instant) -> [Action] {
        var actions: [Action] = []
        if let error = Self.validateSessionTimeout(request.sessionTimeout, configuration) {
            return [.completeJoin(requestID, .failure(error, memberID: request.memberID))]
        }
        if state == .dead {
            return [.completeJoin(requestID, .failure(.coordinatorNotAvailable, memberID: request.memberID))]
        }
        if !supportsProtocols(type: request.protocolType, names: request.protocols.map(\.name)) {
            return [.completeJoin(requestID, .failure(.inconsistentGroupProtocol, memberID: request.memberID))]
        }
        if request.memberID.isEmpty {
            joinUnknownMember(request, requestID: requestID, now: now, into: &actions)
        } else {
            joinKnownMember(request, requestID: requestID, now: now, into: &actions)
        }
        if state == .preparingRebalance {
            tryCompleteJoin(now: now, into: &actions)
        }
        return actions
    }

    /// Kafka's supportsProtocols: the first member sets the type; later ones must share it and
    /// support at least one protocol every current member supports.
    func supportsProtocols(type: String, names: [String]) -> Bool {
        if state == .empty {
            return !type.isEmpty && !names.isEmpty
        }
        guard protocolType == type, !names.isEmpty else { return false }
        if members.isEmpty { return true }
        let common = commonProtocols
        return names.contains { common.contains($0) }
    }

    /// Protocol names every member supports.
    var commonProtocols: Set<String> {
        var common: Set<String>?
        for member in members.values {
            let names = Set(member.protocols.map(\.name))
            common = common.map { $0.intersection(names) } ?? names
        }
        return common ?? []
    }

    private mutating func joinUnknownMember(_ request: JoinRequest, requestID: RequestID, now: Instant, into actions: inout [Action]) {
        let newMemberID = (request.groupInstanceID ?? request.clientID) + "-" + request.uniqueSuffix
        if let instanceID = request.groupInstanceID {
            if let oldMemberID = staticMembers[instanceID] {
                rejoinStaticMember(request, oldMemberID: oldMemberID, newMemberID: newMemberID, requestID: requestID, now: now, into: &actions)
            } else {
                addMemberAndRebalance(request, memberID: newMemberID, requestID: requestID, now: now, into: &actions)
            }
        } else if request.requireKnownMemberID {
            // KIP-394: hand out the id first, so a client that times out and retries does
            // not leave a stream of phantom members behind.
            pendingMembers[newMemberID] = now + request.sessionTimeout
            actions.append(.completeJoin(requestID, .failure(.memberIDRequired, memberID: newMemberID)))
        } else {
            addMemberAndRebalance(request, memberID: newMemberID, requestID: requestID, now: now, into: &actions)
        }
    }

    private mutating func joinKnownMember(_ request: JoinRequest, requestID: RequestID, now: Instant, into actions: inout [Action]) {
        let memberID = request.memberID
        if pendingMembers[memberID] != nil {
            // The second JoinGroup of KIP-394, with the id we handed out.
            guard request.groupInstanceID == nil else {
                actions.append(.completeJoin(requestID, .failure(.unknownMemberID, memberID: memberID)))
                return
            }
            addMemberAndRebalance(request, memberID: memberID, requestID: requestID, now: now, into: &actions)
            return
        }
        if let error = validateCurrentMember(memberID, groupInstanceID: request.groupInstanceID) {
            actions.append(.completeJoin(requestID, .failure(error, memberID: memberID)))
            return
        }
        guard let member = members[memberID] else { return }
        let sameProtocols = member.protocols == request.protocols
        switch state {
        case .preparingRebalance:
            updateMemberAndRebalance(request, requestID: requestID, reason: "member \(memberID) rejoined", now: now, into: &actions)
        case .completingRebalance:
            if sameProtocols {
                // It probably lost the first response: answer again with the current generation.
                members[memberID]?.sessionDeadline = now + member.sessionTimeout
                actions.append(.completeJoin(requestID, currentGenerationResult(for: memberID, includeMembers: isLeader(memberID))))
            } else {
                updateMemberAndRebalance(request, requestID: requestID, reason: "member \(memberID) changed its protocols", now: now, into: &actions)
            }
        case .stable:
            if isLeader(memberID) {
                // The leader rejoins to have the assignment recomputed (new topics, new partitions).
                updateMemberAndRebalance(request, requestID: requestID, reason: "leader \(memberID) rejoined", now: now, into: &actions)
            } else if !sameProtocols {
                updateMemberAndRebalance(request, requestID: requestID, reason: "member \(memberID) changed its protocols", now: now, into: &actions)
            } else {
                members[memberID]?.sessionDeadline = now + member.sessionTimeout
                actions.append(.completeJoin(requestID, currentGenerationResult(for: memberID, includeMembers: false)))
            }
        case .empty, .dead:
            actions.append(.completeJoin(requestID, .failure(.unknownMemberID, memberID: memberID)))
        }
    }

    /// UNKNOWN_MEMBER_ID or FENCED_INSTANCE_ID unless `memberID` is a member (and, for a
    /// static member, the one currently holding `groupInstanceID`).
    func validateCurrentMember(_ memberID: String, groupInstanceID: String?) -> GroupError? {
        if let groupInstanceID {
            guard let current = staticMembers[groupInstanceID] else { return .unknownMemberID }
            if current != memberID { return .fencedInstanceID }
        }
        return members[memberID] == nil ? .unknownMemberID : nil
    }

    /// The JoinGroup answer for the generation in place (no rebalance needed).
    func currentGenerationResult(for memberID: String, includeMembers: Bool, leaderID: String? = nil) -> JoinResult {
        JoinResult(
            error: nil, memberID: memberID, generationID: generationID,
            protocolType: protocolType, protocolName: protocolName,
            leaderID: leaderID ?? self.leaderID ?? "",
            members: includeMembers ? currentMemberMetadata : [])
    }

    /// Every member's metadata for the selected protocol: what the leader assigns from.
    var currentMemberMetadata: [JoinResult.Member] {
        orderedMembers.map {
            JoinResult.Member(memberID: $0.memberID, groupInstanceID: $0.groupInstanceID, metadata: $0.metadata(for: protocolName))
        }
    }

    private mutating func addMemberAndRebalance(_ request: JoinRequest, memberID: String, requestID: RequestID, now: Instant, into actions: inout [Action]) {
        let member = GroupMember(
            memberID: memberID, groupInstanceID: request.groupInstanceID,
            clientID: request.clientID, clientHost: request.clientHost,
            sessionTimeout: request.sessionTimeout, rebalanceTimeout: request.rebalanceTimeout,
            protocolType: request.protocolType, protocols: request.protocols,
            pendingJoin: requestID, isNew: true,
            sessionDeadline: now + configuration.newMemberJoinTimeout)
        if members.isEmpty { protocolType = request.protocolType }
        members[memberID] = member
        memberOrder.append(memberID)
        if leaderID == nil { leaderID = memberID }
        if let instanceID = request.groupInstanceID { staticMembers[instanceID] = memberID }
        pendingMembers[memberID] = nil
        if state == .preparingRebalance && generationID == 0 { newMemberAdded = true }
        maybePrepareRebalance(reason: "member \(memberID) joined", now: now, into: &actions)
    }

    private mutating func updateMemberAndRebalance(_ request: JoinRequest, requestID: RequestID, reason: String, now: Instant, into actions: inout [Action]) {
        guard var member = members[request.memberID] else { return }
        if let superseded = member.pendingJoin {
            // The client gave up on its earlier JoinGroup and sent another; the earlier one's
            // answer goes nowhere useful, but its waiter must not be left hanging.
            actions.append(.completeJoin(superseded, .failure(.rebalanceInProgress, memberID: member.memberID)))
        }
        member.protocols = request.protocols
        member.sessionTimeout = request.sessionTimeout
        member.rebalanceTimeout = request.rebalanceTimeout
        member.pendingJoin = requestID
        members[member.memberID] = member
        maybePrepareRebalance(reason: reason, now: now, into: &actions)
    }

    /// A static member rejoining without its member id (a restarted instance): it takes over
    /// the old member's place under a new id; the old id is fenced.
    private mutating func rejoinStaticMember(
        _ request: JoinRequest, oldMemberID: String, newMemberID: String, requestID: RequestID,
        now: Instant, into actions: inout [Action]
    ) {
        let previousLeader = leaderID
        replaceStaticMember(oldMemberID: oldMemberID, newMemberID: newMemberID, into: &actions)
        guard var member = members[newMemberID] else { return }
        member.sessionDeadline = now + request.sessionTimeout
        member.protocols = request.protocols
        member.sessionTimeout = request.sessionTimeout
        member.rebalanceTimeout = request.rebalanceTimeout
        member.pendingJoin = requestID
        members[newMemberID] = member

        switch state {
        case .stable:
            // No rebalance when the selection would not change: hand back the generation in place.
            guard selectProtocol() == protocolName else {
                maybePrepareRebalance(reason: "static member \(newMemberID) rejoined with other protocols", now: now, into: &actions)
                return
            }
            if isLeader(newMemberID) {
                guard request.supportsSkippingAssignment else {
                    // An older client cannot be told to skip the assignment; it would compute one
                    // the Stable group never distributes. Rebalance instead.
                    maybePrepareRebalance(reason: "static leader \(newMemberID) rejoined", now: now, into: &actions)
                    return
                }
                var result = currentGenerationResult(for: newMemberID, includeMembers: true)
                result.skipAssignment = true
                members[newMemberID]?.pendingJoin = nil
                actions.append(.completeJoin(requestID, result))
            } else {
                // The old leader id keeps the current leader from assigning again.
                members[newMemberID]?.pendingJoin = nil
                actions.append(.completeJoin(requestID, currentGenerationResult(for: newMemberID, includeMembers: false, leaderID: previousLeader)))
            }
        case .completingRebalance:
            maybePrepareRebalance(reason: "static member \(newMemberID) rejoined during CompletingRebalance", now: now, into: &actions)
        case .preparingRebalance:
            break  // answered when the rebalance completes
        case .empty, .dead:
            break  // cannot hold a static member
        }
    }

    /// Moves a static member to a new member id; waiters on the old id are fenced.
    private mutating func replaceStaticMember(oldMemberID: String, newMemberID: String, into actions: inout [Action]) {
        guard var member = members.removeValue(forKey: oldMemberID) else { return }
        if let join = member.pendingJoin {
            actions.append(.completeJoin(join, .failure(.fencedInstanceID, memberID: oldMemberID)))
        }
        if let sync = member.pendingSync {
            actions.append(.completeSync(sync, .failure(.fencedInstanceID)))
        }
        member.pendingJoin = nil
        member.pendingSync = nil
        member.memberID = newMemberID
        members[newMemberID] = member
        if let index = memberOrder.firstIndex(of: oldMemberID) { memberOrder[index] = newMemberID }
        if let instanceID = member.groupInstanceID { staticMembers[instanceID] = newMemberID }
        if leaderID == oldMemberID { leaderID = newMemberID }
        if pendingSyncMembers.remove(oldMemberID) != nil { pendingSyncMembers.insert(newMemberID) }
    }
}
