import KafkaProtocol
import NIOCore

// DescribeGroups (v0-v5) and ListGroups (v0-v5).
extension GroupCoordinator {
    /// What a group allows when asked for authorized operations (v3+): this broker has no
    /// ACLs, so everything a group supports: READ (3), DELETE (6), DESCRIBE (8).
    static let groupAuthorizedOperations: Int32 = (1 << 3) | (1 << 6) | (1 << 8)

    /// DescribeGroups. An unknown group is described as Dead with no error, as Kafka does
    /// before v6. Protocol, member metadata and assignments are only filled in while Stable.
    public func describeGroups(_ request: DescribeGroupsRequest, version: Int16) async -> DescribeGroupsResponse {
        let operations = version >= 3 && request.includeAuthorizedOperations ? Self.groupAuthorizedOperations : Int32.min
        return DescribeGroupsResponse(groups: request.groups.map { groupID in
            guard isActive else {
                return DescribeGroupsResponse.DescribedGroup(
                    errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue, groupId: groupID, authorizedOperations: operations)
            }
            guard let summary = existingGroup(groupID)?.summary else {
                return DescribeGroupsResponse.DescribedGroup(
                    groupId: groupID, groupState: GroupStateMachine.State.dead.rawValue, authorizedOperations: operations)
            }
            return DescribeGroupsResponse.DescribedGroup(
                groupId: groupID,
                groupState: summary.state.rawValue,
                protocolType: summary.protocolType,
                protocolData: summary.protocolName,
                members: summary.members.map {
                    DescribeGroupsResponse.DescribedGroupMember(
                        memberId: $0.memberID, groupInstanceId: $0.groupInstanceID,
                        clientId: $0.clientID, clientHost: $0.clientHost,
                        memberMetadata: $0.metadata, memberAssignment: $0.assignment)
                },
                authorizedOperations: operations)
        })
    }

    /// ListGroups: every group, including those known only by committed offsets. v4+ may
    /// filter by state, v5+ by type (all groups here are "classic"); both case-insensitive.
    public func listGroups(_ request: ListGroupsRequest, version: Int16) async -> ListGroupsResponse {
        guard isActive else {
            return ListGroupsResponse(errorCode: KafkaErrorCode.coordinatorNotAvailable.rawValue)
        }
        let states = Set((version >= 4 ? request.statesFilter : []).map { $0.lowercased() })
        let types = Set((version >= 5 ? request.typesFilter : []).map { $0.lowercased() })
        if !types.isEmpty && !types.contains("classic") {
            return ListGroupsResponse()
        }
        let groupIDs = Set(groups.keys).union(offsetStore.groupIDs).sorted()
        let listed = groupIDs.compactMap { groupID -> ListGroupsResponse.ListedGroup? in
            guard let group = existingGroup(groupID) else { return nil }
            if !states.isEmpty && !states.contains(group.state.rawValue.lowercased()) { return nil }
            return ListGroupsResponse.ListedGroup(
                groupId: groupID, protocolType: group.protocolType ?? "", groupState: group.state.rawValue, groupType: "classic")
        }
        return ListGroupsResponse(groups: listed)
    }
}
