import KafkaProtocol
import NIOCore

// JoinGroup (v0-v9), SyncGroup (v0-v5), Heartbeat (v0-v4), LeaveGroup (v0-v5): requests
// translated for the group's state machine, its answers translated into responses.
extension GroupCoordinator {
    /// JoinGroup. v0 has no rebalance timeout (the session timeout serves); v4+ members
    /// without an id first get MEMBER_ID_REQUIRED with one; v5+ carry a group instance id
    /// (static membership); v7+ answer with the protocol type; v9+ may tell a rejoining static
    /// leader to skip the assignment. The answer waits until the rebalance completes.
    public func joinGroup(_ request: JoinGroupRequest, version: Int16, clientID: String, clientHost: String) async -> JoinGroupResponse {
        let sessionTimeout = Duration.milliseconds(request.sessionTimeoutMs)
        let rebalanceTimeout = version >= 1 && request.rebalanceTimeoutMs > 0 ? Duration.milliseconds(request.rebalanceTimeoutMs) : sessionTimeout
        let groupInstanceID = version >= 5 ? request.groupInstanceId : nil
        let result: JoinResult
        if !isActive {
            result = .failure(.coordinatorNotAvailable, memberID: request.memberId)
        } else if request.groupId.isEmpty {
            result = .failure(.invalidGroupID, memberID: request.memberId)
        } else if let error = GroupStateMachine.validateSessionTimeout(sessionTimeout, configuration) {
            result = .failure(error, memberID: request.memberId)
        } else if existingGroup(request.groupId) == nil && !request.memberId.isEmpty {
            // Only a member without an id may create a group.
            result = .failure(.unknownMemberID, memberID: request.memberId)
        } else {
            let join = GroupStateMachine.JoinRequest(
                memberID: request.memberId, groupInstanceID: groupInstanceID,
                clientID: clientID, clientHost: clientHost,
                sessionTimeout: sessionTimeout, rebalanceTimeout: rebalanceTimeout,
                protocolType: request.protocolType,
                protocols: request.protocols.map { GroupStateMachine.GroupProtocol(name: $0.name, metadata: $0.metadata) },
                requireKnownMemberID: version >= 4 && groupInstanceID == nil,
                supportsSkippingAssignment: version >= 9,
                uniqueSuffix: KafkaUUID.random().description,
                reason: version >= 8 ? request.reason : nil)
            logger.debug("JoinGroup", metadata: [
                "kafka.group": "\(request.groupId)", "kafka.member": "\(request.memberId)",
                "kafka.client_id": "\(clientID)", "kafka.group.reason": "\(request.reason ?? "")",
            ])
            result = await awaitJoin(request.groupId) { machine, requestID in
                machine.join(join, requestID: requestID, now: clock.now())
            }
        }
        return JoinGroupResponse(
            errorCode: result.error.code.rawValue,
            generationId: result.generationID,
            protocolType: result.protocolType,
            // Non-nullable before v7.
            protocolName: version >= 7 ? result.protocolName : (result.protocolName ?? ""),
            leader: result.leaderID,
            skipAssignment: result.skipAssignment,
            memberId: result.memberID,
            members: result.members.map {
                JoinGroupResponse.JoinGroupResponseMember(memberId: $0.memberID, groupInstanceId: $0.groupInstanceID, metadata: $0.metadata)
            })
    }

    /// SyncGroup. Followers wait for the leader's assignment; v5+ must name the protocol type
    /// and name, which must match the group's.
    public func syncGroup(_ request: SyncGroupRequest, version: Int16) async -> SyncGroupResponse {
        let result: SyncResult
        if !isActive {
            result = .failure(.coordinatorNotAvailable)
        } else if request.groupId.isEmpty {
            result = .failure(.invalidGroupID)
        } else if version >= 5 && (request.protocolType == nil || request.protocolName == nil) {
            result = .failure(.inconsistentGroupProtocol)
        } else if existingGroup(request.groupId) == nil {
            result = .failure(.unknownMemberID)
        } else {
            let sync = GroupStateMachine.SyncRequest(
                memberID: request.memberId,
                groupInstanceID: version >= 3 ? request.groupInstanceId : nil,
                generationID: request.generationId,
                protocolType: version >= 5 ? request.protocolType : nil,
                protocolName: version >= 5 ? request.protocolName : nil,
                assignments: request.assignments.map { (memberID: $0.memberId, assignment: $0.assignment) })
            result = await awaitSync(request.groupId) { machine, requestID in
                machine.sync(sync, requestID: requestID, now: clock.now())
            }
        }
        return SyncGroupResponse(
            errorCode: result.error.code.rawValue,
            protocolType: result.protocolType,
            protocolName: result.protocolName,
            assignment: result.assignment)
    }

    /// Heartbeat: keeps a member's session alive; REBALANCE_IN_PROGRESS tells it to rejoin.
    public func heartbeat(_ request: HeartbeatRequest, version: Int16) async -> HeartbeatResponse {
        let error: GroupError?
        if !isActive {
            error = .coordinatorNotAvailable
        } else if request.groupId.isEmpty {
            error = .invalidGroupID
        } else if existingGroup(request.groupId) == nil {
            error = .unknownMemberID
        } else {
            error = update(request.groupId) { machine in
                let error = machine.heartbeat(
                    memberID: request.memberId, groupInstanceID: version >= 3 ? request.groupInstanceId : nil,
                    generationID: request.generationId, now: clock.now())
                return (error, [])
            }
        }
        return HeartbeatResponse(errorCode: error.code.rawValue)
    }

    /// LeaveGroup. v0-v2 name one member and report its error at the top level; v3+ name a
    /// batch (by member id, or by group instance id alone) and report per member.
    public func leaveGroup(_ request: LeaveGroupRequest, version: Int16) async -> LeaveGroupResponse {
        let leaving = version >= 3
            ? request.members.map { GroupStateMachine.LeavingMember(memberID: $0.memberId, groupInstanceID: $0.groupInstanceId) }
            : [GroupStateMachine.LeavingMember(memberID: request.memberId)]
        let result: GroupStateMachine.LeaveResult
        if !isActive {
            result = .init(error: .coordinatorNotAvailable, memberErrors: [])
        } else if request.groupId.isEmpty {
            result = .init(error: .invalidGroupID, memberErrors: [])
        } else if existingGroup(request.groupId) == nil {
            result = .init(error: nil, memberErrors: leaving.map { _ in .unknownMemberID })
        } else {
            if version >= 5 {
                for member in request.members {
                    logger.debug("LeaveGroup", metadata: [
                        "kafka.group": "\(request.groupId)", "kafka.member": "\(member.memberId)",
                        "kafka.group.reason": "\(member.reason ?? "")",
                    ])
                }
            }
            result = update(request.groupId) { $0.leave(leaving, now: clock.now()) }
        }
        var response = LeaveGroupResponse(errorCode: result.error.code.rawValue)
        if version >= 3 {
            response.members = zip(leaving, result.memberErrors).map { member, error in
                LeaveGroupResponse.MemberResponse(memberId: member.memberID, groupInstanceId: member.groupInstanceID, errorCode: error.code.rawValue)
            }
        } else if result.error == nil, let first = result.memberErrors.compactMap({ $0 }).first {
            response.errorCode = first.code.rawValue
        }
        return response
    }
}
