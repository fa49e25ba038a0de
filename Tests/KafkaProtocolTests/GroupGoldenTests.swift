import KafkaProtocol
import NIOCore
import Testing

// Golden bytes derived by hand from the group coordination APIs' JSON definitions:
// FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, OffsetCommit, OffsetFetch,
// DescribeGroups, ListGroups. "consumer" = 636f6e73756d6572, "range" = 72616e6765,
// "Stable" = 537461626c65, "classic" = 636c6173736963.
@Suite struct GroupGoldenTests {
    @Test func findCoordinatorRequestV0() throws {
        try checkGolden(FindCoordinatorRequest(key: "g"), version: 0, """
            0001 67      // key "g"
            """)
    }

    @Test func findCoordinatorRequestV6() throws {
        try checkGolden(FindCoordinatorRequest(keyType: 1, coordinatorKeys: ["g"]), version: 6, """
            01           // keyType = 1 (transaction)
            02 02 67     // coordinatorKeys: compact count 1, "g"
            00           // tagged fields: none
            """)
    }

    @Test func findCoordinatorResponseV0() throws {
        let message = FindCoordinatorResponse(errorCode: 15, nodeId: 1, host: "h", port: 9092)
        try checkGolden(message, version: 0, """
            000f         // errorCode = 15
            00000001     // nodeId = 1
            0001 68      // host "h"
            00002384     // port = 9092
            """)
    }

    @Test func findCoordinatorResponseV6() throws {
        let message = FindCoordinatorResponse(
            throttleTimeMs: 100,
            coordinators: [.init(key: "g", nodeId: 1, host: "h", port: 9092, errorCode: 15, errorMessage: "e")])
        try checkGolden(message, version: 6, """
            00000064     // throttleTimeMs = 100
            02           // coordinators: compact count 1
            02 67        //   key "g"
            00000001     //   nodeId = 1
            02 68        //   host "h"
            00002384     //   port = 9092
            000f         //   errorCode = 15
            02 65        //   errorMessage "e"
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func joinGroupRequestV0() throws {
        let message = JoinGroupRequest(
            groupId: "g", sessionTimeoutMs: 10000, memberId: "m", protocolType: "consumer",
            protocols: [.init(name: "range", metadata: bytes([0x01]))])
        try checkGolden(message, version: 0, """
            0001 67      // groupId "g"
            00002710     // sessionTimeoutMs = 10000
            0001 6d      // memberId "m"
            0008 636f6e73756d6572 // protocolType "consumer"
            00000001     // protocols: count 1
            0005 72616e6765 //   name "range"
            00000001 01  //   metadata: int32 length 1
            """)
    }

    @Test func joinGroupRequestV9() throws {
        let message = JoinGroupRequest(
            groupId: "g", sessionTimeoutMs: 10000, rebalanceTimeoutMs: 30000, memberId: "m",
            groupInstanceId: "i", protocolType: "consumer",
            protocols: [.init(name: "range", metadata: bytes([0x01]))], reason: "r")
        try checkGolden(message, version: 9, """
            02 67        // groupId "g"
            00002710     // sessionTimeoutMs = 10000
            00007530     // rebalanceTimeoutMs = 30000
            02 6d        // memberId "m"
            02 69        // groupInstanceId "i"
            09 636f6e73756d6572 // protocolType "consumer"
            02           // protocols: compact count 1
            06 72616e6765 //  name "range"
            02 01        //   metadata: compact length 1
            00           //   tagged fields: none
            02 72        // reason "r"
            00           // tagged fields: none
            """)
    }

    @Test func joinGroupResponseV0() throws {
        let message = JoinGroupResponse(
            errorCode: 27, generationId: 1, protocolName: "range", leader: "m", memberId: "m",
            members: [.init(memberId: "m", metadata: bytes([0x01]))])
        try checkGolden(message, version: 0, """
            001b         // errorCode = 27
            00000001     // generationId = 1
            0005 72616e6765 // protocolName "range"
            0001 6d      // leader "m"
            0001 6d      // memberId "m"
            00000001     // members: count 1
            0001 6d      //   memberId "m"
            00000001 01  //   metadata: int32 length 1
            """)
    }

    @Test func joinGroupResponseV9() throws {
        let message = JoinGroupResponse(
            throttleTimeMs: 100, errorCode: 27, generationId: 1, protocolType: "consumer",
            protocolName: "range", leader: "m", skipAssignment: true, memberId: "m",
            members: [.init(memberId: "m", groupInstanceId: "i", metadata: bytes([0x01]))])
        try checkGolden(message, version: 9, """
            00000064     // throttleTimeMs = 100
            001b         // errorCode = 27
            00000001     // generationId = 1
            09 636f6e73756d6572 // protocolType "consumer"
            06 72616e6765 // protocolName "range"
            02 6d        // leader "m"
            01           // skipAssignment = true
            02 6d        // memberId "m"
            02           // members: compact count 1
            02 6d        //   memberId "m"
            02 69        //   groupInstanceId "i"
            02 01        //   metadata: compact length 1
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func syncGroupRequestV0() throws {
        let message = SyncGroupRequest(
            groupId: "g", generationId: 1, memberId: "m",
            assignments: [.init(memberId: "m", assignment: bytes([0x02]))])
        try checkGolden(message, version: 0, """
            0001 67      // groupId "g"
            00000001     // generationId = 1
            0001 6d      // memberId "m"
            00000001     // assignments: count 1
            0001 6d      //   memberId "m"
            00000001 02  //   assignment: int32 length 1
            """)
    }

    @Test func syncGroupRequestV5() throws {
        let message = SyncGroupRequest(
            groupId: "g", generationId: 1, memberId: "m", groupInstanceId: "i",
            protocolType: "consumer", protocolName: "range",
            assignments: [.init(memberId: "m", assignment: bytes([0x02]))])
        try checkGolden(message, version: 5, """
            02 67        // groupId "g"
            00000001     // generationId = 1
            02 6d        // memberId "m"
            02 69        // groupInstanceId "i"
            09 636f6e73756d6572 // protocolType "consumer"
            06 72616e6765 // protocolName "range"
            02           // assignments: compact count 1
            02 6d        //   memberId "m"
            02 02        //   assignment: compact length 1
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func syncGroupResponseV0() throws {
        let message = SyncGroupResponse(errorCode: 27, assignment: bytes([0x02]))
        try checkGolden(message, version: 0, """
            001b         // errorCode = 27
            00000001 02  // assignment: int32 length 1
            """)
    }

    @Test func syncGroupResponseV5() throws {
        let message = SyncGroupResponse(
            throttleTimeMs: 100, errorCode: 27, protocolType: "consumer", protocolName: "range",
            assignment: bytes([0x02]))
        try checkGolden(message, version: 5, """
            00000064     // throttleTimeMs = 100
            001b         // errorCode = 27
            09 636f6e73756d6572 // protocolType "consumer"
            06 72616e6765 // protocolName "range"
            02 02        // assignment: compact length 1
            00           // tagged fields: none
            """)
    }

    @Test func heartbeatRequestV0() throws {
        try checkGolden(HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m"), version: 0, """
            0001 67      // groupId "g"
            00000001     // generationId = 1
            0001 6d      // memberId "m"
            """)
    }

    @Test func heartbeatRequestV4() throws {
        let message = HeartbeatRequest(groupId: "g", generationId: 1, memberId: "m", groupInstanceId: "i")
        try checkGolden(message, version: 4, """
            02 67        // groupId "g"
            00000001     // generationId = 1
            02 6d        // memberId "m"
            02 69        // groupInstanceId "i"
            00           // tagged fields: none
            """)
    }

    @Test func heartbeatResponseV0() throws {
        try checkGolden(HeartbeatResponse(errorCode: 27), version: 0, """
            001b         // errorCode = 27
            """)
    }

    @Test func heartbeatResponseV4() throws {
        try checkGolden(HeartbeatResponse(throttleTimeMs: 100, errorCode: 27), version: 4, """
            00000064     // throttleTimeMs = 100
            001b         // errorCode = 27
            00           // tagged fields: none
            """)
    }

    @Test func leaveGroupRequestV0() throws {
        try checkGolden(LeaveGroupRequest(groupId: "g", memberId: "m"), version: 0, """
            0001 67      // groupId "g"
            0001 6d      // memberId "m"
            """)
    }

    @Test func leaveGroupRequestV5() throws {
        let message = LeaveGroupRequest(
            groupId: "g", members: [.init(memberId: "m", groupInstanceId: "i", reason: "r")])
        try checkGolden(message, version: 5, """
            02 67        // groupId "g"
            02           // members: compact count 1
            02 6d        //   memberId "m"
            02 69        //   groupInstanceId "i"
            02 72        //   reason "r"
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func leaveGroupResponseV0() throws {
        try checkGolden(LeaveGroupResponse(errorCode: 25), version: 0, """
            0019         // errorCode = 25
            """)
    }

    @Test func leaveGroupResponseV5() throws {
        let message = LeaveGroupResponse(
            throttleTimeMs: 100, errorCode: 25,
            members: [.init(memberId: "m", groupInstanceId: "i", errorCode: 25)])
        try checkGolden(message, version: 5, """
            00000064     // throttleTimeMs = 100
            0019         // errorCode = 25
            02           // members: compact count 1
            02 6d        //   memberId "m"
            02 69        //   groupInstanceId "i"
            0019         //   errorCode = 25
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func offsetCommitRequestV0() throws {
        let message = OffsetCommitRequest(
            groupId: "g",
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, committedOffset: 100, committedMetadata: "md")])])
        try checkGolden(message, version: 0, """
            0001 67      // groupId "g"
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000001     //   partitions: count 1
            00000001     //     partitionIndex = 1
            0000000000000064 // committedOffset = 100
            0002 6d64    //     committedMetadata "md"
            """)
    }

    @Test func offsetCommitRequestV9() throws {
        let message = OffsetCommitRequest(
            groupId: "g", generationIdOrMemberEpoch: 1, memberId: "m", groupInstanceId: "i",
            topics: [.init(name: "t", partitions: [
                .init(partitionIndex: 1, committedOffset: 100, committedLeaderEpoch: 4, committedMetadata: "md"),
            ])])
        try checkGolden(message, version: 9, """
            02 67        // groupId "g"
            00000001     // generationIdOrMemberEpoch = 1
            02 6d        // memberId "m"
            02 69        // groupInstanceId "i"
            02           // topics: compact count 1
            02 74        //   name "t"
            02           //   partitions: compact count 1
            00000001     //     partitionIndex = 1
            0000000000000064 // committedOffset = 100
            00000004     //     committedLeaderEpoch = 4
            03 6d64      //     committedMetadata "md"
            00           //     tagged fields: none
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func offsetCommitResponseV0() throws {
        let message = OffsetCommitResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 1, errorCode: 27)]),
        ])
        try checkGolden(message, version: 0, """
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000001     //   partitions: count 1
            00000001     //     partitionIndex = 1
            001b         //     errorCode = 27
            """)
    }

    @Test func offsetCommitResponseV9() throws {
        let message = OffsetCommitResponse(
            throttleTimeMs: 100,
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, errorCode: 27)])])
        try checkGolden(message, version: 9, """
            00000064     // throttleTimeMs = 100
            02           // topics: compact count 1
            02 74        //   name "t"
            02           //   partitions: compact count 1
            00000001     //     partitionIndex = 1
            001b         //     errorCode = 27
            00           //     tagged fields: none
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func offsetFetchRequestV0() throws {
        let message = OffsetFetchRequest(groupId: "g", topics: [.init(name: "t", partitionIndexes: [1, 2])])
        try checkGolden(message, version: 0, """
            0001 67      // groupId "g"
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000002 00000001 00000002 // partitionIndexes [1, 2]
            """)
    }

    @Test func offsetFetchRequestV9() throws {
        let message = OffsetFetchRequest(
            groups: [.init(groupId: "g", memberId: "m", memberEpoch: 3,
                           topics: [.init(name: "t", partitionIndexes: [1, 2])])],
            requireStable: true)
        try checkGolden(message, version: 9, """
            02           // groups: compact count 1
            02 67        //   groupId "g"
            02 6d        //   memberId "m"
            00000003     //   memberEpoch = 3
            02           //   topics: compact nullable count 1
            02 74        //     name "t"
            03 00000001 00000002 // partitionIndexes [1, 2]
            00           //     tagged fields: none
            00           //   tagged fields: none
            01           // requireStable = true
            00           // tagged fields: none
            """)
    }

    @Test func offsetFetchResponseV0() throws {
        let message = OffsetFetchResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 1, committedOffset: 100, metadata: "md", errorCode: 3)]),
        ])
        try checkGolden(message, version: 0, """
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000001     //   partitions: count 1
            00000001     //     partitionIndex = 1
            0000000000000064 // committedOffset = 100
            0002 6d64    //     metadata "md"
            0003         //     errorCode = 3
            """)
    }

    @Test func offsetFetchResponseV9() throws {
        let message = OffsetFetchResponse(
            throttleTimeMs: 100,
            groups: [.init(groupId: "g", topics: [
                .init(name: "t", partitions: [
                    .init(partitionIndex: 1, committedOffset: 100, committedLeaderEpoch: 4, metadata: "md", errorCode: 3),
                ]),
            ], errorCode: 16)])
        try checkGolden(message, version: 9, """
            00000064     // throttleTimeMs = 100
            02           // groups: compact count 1
            02 67        //   groupId "g"
            02           //   topics: compact count 1
            02 74        //     name "t"
            02           //     partitions: compact count 1
            00000001     //       partitionIndex = 1
            0000000000000064 //   committedOffset = 100
            00000004     //       committedLeaderEpoch = 4
            03 6d64      //       metadata "md"
            0003         //       errorCode = 3
            00           //       tagged fields: none
            00           //     tagged fields: none
            0010         //   errorCode = 16
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func describeGroupsRequestV0() throws {
        try checkGolden(DescribeGroupsRequest(groups: ["g"]), version: 0, """
            00000001 0001 67 // groups ["g"]
            """)
    }

    @Test func describeGroupsRequestV5() throws {
        try checkGolden(DescribeGroupsRequest(groups: ["g"], includeAuthorizedOperations: true), version: 5, """
            02 02 67     // groups ["g"]
            01           // includeAuthorizedOperations = true
            00           // tagged fields: none
            """)
    }

    @Test func describeGroupsResponseV0() throws {
        let message = DescribeGroupsResponse(groups: [
            .init(errorCode: 16, groupId: "g", groupState: "Stable", protocolType: "consumer", protocolData: "range",
                  members: [.init(memberId: "m", clientId: "c", clientHost: "h",
                                  memberMetadata: bytes([0x01]), memberAssignment: bytes([0x02]))]),
        ])
        try checkGolden(message, version: 0, """
            00000001     // groups: count 1
            0010         //   errorCode = 16
            0001 67      //   groupId "g"
            0006 537461626c65 // groupState "Stable"
            0008 636f6e73756d6572 // protocolType "consumer"
            0005 72616e6765 //   protocolData "range"
            00000001     //   members: count 1
            0001 6d      //     memberId "m"
            0001 63      //     clientId "c"
            0001 68      //     clientHost "h"
            00000001 01  //     memberMetadata
            00000001 02  //     memberAssignment
            """)
    }

    @Test func describeGroupsResponseV5() throws {
        let message = DescribeGroupsResponse(
            throttleTimeMs: 100,
            groups: [.init(errorCode: 16, groupId: "g", groupState: "Stable", protocolType: "consumer",
                           protocolData: "range",
                           members: [.init(memberId: "m", groupInstanceId: "i", clientId: "c", clientHost: "h",
                                           memberMetadata: bytes([0x01]), memberAssignment: bytes([0x02]))],
                           authorizedOperations: 8)])
        try checkGolden(message, version: 5, """
            00000064     // throttleTimeMs = 100
            02           // groups: compact count 1
            0010         //   errorCode = 16
            02 67        //   groupId "g"
            07 537461626c65 //   groupState "Stable"
            09 636f6e73756d6572 // protocolType "consumer"
            06 72616e6765 //  protocolData "range"
            02           //   members: compact count 1
            02 6d        //     memberId "m"
            02 69        //     groupInstanceId "i"
            02 63        //     clientId "c"
            02 68        //     clientHost "h"
            02 01        //     memberMetadata
            02 02        //     memberAssignment
            00           //     tagged fields: none
            00000008     //   authorizedOperations = 8
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func listGroupsRequestV0() throws {
        try checkGolden(ListGroupsRequest(), version: 0, "")
    }

    @Test func listGroupsRequestV5() throws {
        let message = ListGroupsRequest(statesFilter: ["Stable"], typesFilter: ["classic"])
        try checkGolden(message, version: 5, """
            02 07 537461626c65     // statesFilter ["Stable"]
            02 08 636c6173736963   // typesFilter ["classic"]
            00                     // tagged fields: none
            """)
    }

    @Test func listGroupsResponseV0() throws {
        let message = ListGroupsResponse(errorCode: 16, groups: [.init(groupId: "g", protocolType: "consumer")])
        try checkGolden(message, version: 0, """
            0010         // errorCode = 16
            00000001     // groups: count 1
            0001 67      //   groupId "g"
            0008 636f6e73756d6572 // protocolType "consumer"
            """)
    }

    @Test func listGroupsResponseV5() throws {
        let message = ListGroupsResponse(
            throttleTimeMs: 100, errorCode: 16,
            groups: [.init(groupId: "g", protocolType: "consumer", groupState: "Stable", groupType: "classic")])
        try checkGolden(message, version: 5, """
            00000064     // throttleTimeMs = 100
            0010         // errorCode = 16
            02           // groups: compact count 1
            02 67        //   groupId "g"
            09 636f6e73756d6572 // protocolType "consumer"
            07 537461626c65 //   groupState "Stable"
            08 636c6173736963 // groupType "classic"
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func consumerProtocolSubscriptionV0() throws {
        let message = ConsumerProtocolSubscription(topics: ["t"], userData: bytes([0x01]))
        try checkGolden(message, version: 0, """
            00000001 0001 74 // topics ["t"]
            00000001 01      // userData: nullable bytes, length 1
            """)
    }

    @Test func consumerProtocolSubscriptionV3() throws {
        let message = ConsumerProtocolSubscription(
            topics: ["t"], userData: bytes([0x01]),
            ownedPartitions: [.init(topic: "t", partitions: [2])], generationId: 5, rackId: "r")
        try checkGolden(message, version: 3, """
            00000001 0001 74 // topics ["t"]
            00000001 01      // userData
            00000001         // ownedPartitions: count 1
            0001 74          //   topic "t"
            00000001 00000002 // partitions [2]
            00000005         // generationId = 5
            0001 72          // rackId "r"
            """)
    }

    @Test func consumerProtocolAssignmentV0AndV3() throws {
        let message = ConsumerProtocolAssignment(
            assignedPartitions: [.init(topic: "t", partitions: [1, 2])], userData: bytes([0x01]))
        for version: Int16 in [0, 3] {
            try checkGolden(message, version: version, """
                00000001         // assignedPartitions: count 1
                0001 74          //   topic "t"
                00000002 00000001 00000002 // partitions [1, 2]
                00000001 01      // userData
                """)
        }
    }
}
