import NIOCore

// SyncGroup, as Kafka's GroupCoordinator.handleSyncGroup handles it: followers wait for the
// leader; the leader's assignment completes them all and makes the group Stable.
extension GroupStateMachine {
    /// A SyncGroup. Answered at once (an error, or the assignment of a Stable group) or
    /// when the leader's SyncGroup arrives, as a `.completeSync(requestID, _)`.
    mutating func sync(_ request: SyncRequest, requestID: RequestID, now: Instant) -> [Action] {
        if let error = validateSync(request) {
            return [.completeSync(requestID, .failure(error))]
        }
        let memberID = request.memberID
        guard var member = members[memberID] else {
            return [.completeSync(requestID, .failure(.unknownMemberID))]
        }
        var actions: [Action] = []
        switch state {
        case .empty, .dead:
            actions.append(.completeSync(requestID, .failure(.unknownMemberID)))
        case .preparingRebalance:
            actions.append(.completeSync(requestID, .failure(.rebalanceInProgress)))
        case .completingRebalance:
            if let superseded = member.pendingSync {
                actions.append(.completeSync(superseded, .failure(.rebalanceInProgress)))
            }
            member.pendingSync = requestID
            members[memberID] = member
            removePendingSyncMember(memberID)
            if isLeader(memberID) {
                var assignments: [String: ByteBuffer] = [:]
                for entry in request.assignments where members[entry.memberID] != nil {
                    assignments[entry.memberID] = entry.assignment
                }
                // Members the leader left out get an empty assignment.
                for id in memberOrder { members[id]?.assignment = assignments[id] ?? ByteBuffer() }
                propagateAssignment(error: nil, now: now, into: &actions)
                state = .stable
            }
        case .stable:
            removePendingSyncMember(memberID)
            member.sessionDeadline = now + member.sessionTimeout
            members[memberID] = member
            actions.append(.completeSync(requestID, SyncResult(
                error: nil, protocolType: protocolType, protocolName: protocolName, assignment: member.assignment)))
        }
        return actions
    }

    private func validateSync(_ request: SyncRequest) -> GroupError? {
        if state == .dead { return .coordinatorNotAvailable }
        if let error = validateCurrentMember(request.memberID, groupInstanceID: request.groupInstanceID) { return error }
        if request.generationID != generationID { return .illegalGeneration }
        if let type = request.protocolType, type != protocolType { return .inconsistentGroupProtocol }
        if let name = request.protocolName, name != protocolName { return .inconsistentGroupProtocol }
        return nil
    }

    /// Answers every waiting SyncGroup: with the member's assignment, or with `error` (and
    /// the assignments cleared) when a rebalance cuts the generation short.
    mutating func propagateAssignment(error: GroupError?, now: Instant, into actions: inout [Action]) {
        for id in memberOrder {
            guard var member = members[id] else { continue }
            if error != nil { member.assignment = ByteBuffer() }
            if let waiting = member.pendingSync {
                let result = error.map { SyncResult.failure($0) }
                    ?? SyncResult(error: nil, protocolType: protocolType, protocolName: protocolName, assignment: member.assignment)
                actions.append(.completeSync(waiting, result))
                member.pendingSync = nil
                member.sessionDeadline = now + member.sessionTimeout
            }
            members[id] = member
        }
    }

    private mutating func removePendingSyncMember(_ memberID: String) {
        pendingSyncMembers.remove(memberID)
        if pendingSyncMembers.isEmpty { syncDeadline = nil }
    }
}
