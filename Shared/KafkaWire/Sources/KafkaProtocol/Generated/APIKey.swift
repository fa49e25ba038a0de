// GENERATED FILE - DO NOT EDIT. Generated from every message/*Request.json
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py

import NIOCore

/// A Kafka API key. Unknown keys are representable (a broker must answer them).
public struct APIKey: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    public static let produce = APIKey(rawValue: 0)
    public static let fetch = APIKey(rawValue: 1)
    public static let listOffsets = APIKey(rawValue: 2)
    public static let metadata = APIKey(rawValue: 3)
    public static let leaderAndIsr = APIKey(rawValue: 4)
    public static let stopReplica = APIKey(rawValue: 5)
    public static let updateMetadata = APIKey(rawValue: 6)
    public static let controlledShutdown = APIKey(rawValue: 7)
    public static let offsetCommit = APIKey(rawValue: 8)
    public static let offsetFetch = APIKey(rawValue: 9)
    public static let findCoordinator = APIKey(rawValue: 10)
    public static let joinGroup = APIKey(rawValue: 11)
    public static let heartbeat = APIKey(rawValue: 12)
    public static let leaveGroup = APIKey(rawValue: 13)
    public static let syncGroup = APIKey(rawValue: 14)
    public static let describeGroups = APIKey(rawValue: 15)
    public static let listGroups = APIKey(rawValue: 16)
    public static let saslHandshake = APIKey(rawValue: 17)
    public static let apiVersions = APIKey(rawValue: 18)
    public static let createTopics = APIKey(rawValue: 19)
    public static let deleteTopics = APIKey(rawValue: 20)
    public static let deleteRecords = APIKey(rawValue: 21)
    public static let initProducerId = APIKey(rawValue: 22)
    public static let offsetForLeaderEpoch = APIKey(rawValue: 23)
    public static let addPartitionsToTxn = APIKey(rawValue: 24)
    public static let addOffsetsToTxn = APIKey(rawValue: 25)
    public static let endTxn = APIKey(rawValue: 26)
    public static let writeTxnMarkers = APIKey(rawValue: 27)
    public static let txnOffsetCommit = APIKey(rawValue: 28)
    public static let describeAcls = APIKey(rawValue: 29)
    public static let createAcls = APIKey(rawValue: 30)
    public static let deleteAcls = APIKey(rawValue: 31)
    public static let describeConfigs = APIKey(rawValue: 32)
    public static let alterConfigs = APIKey(rawValue: 33)
    public static let alterReplicaLogDirs = APIKey(rawValue: 34)
    public static let describeLogDirs = APIKey(rawValue: 35)
    public static let saslAuthenticate = APIKey(rawValue: 36)
    public static let createPartitions = APIKey(rawValue: 37)
    public static let createDelegationToken = APIKey(rawValue: 38)
    public static let renewDelegationToken = APIKey(rawValue: 39)
    public static let expireDelegationToken = APIKey(rawValue: 40)
    public static let describeDelegationToken = APIKey(rawValue: 41)
    public static let deleteGroups = APIKey(rawValue: 42)
    public static let electLeaders = APIKey(rawValue: 43)
    public static let incrementalAlterConfigs = APIKey(rawValue: 44)
    public static let alterPartitionReassignments = APIKey(rawValue: 45)
    public static let listPartitionReassignments = APIKey(rawValue: 46)
    public static let offsetDelete = APIKey(rawValue: 47)
    public static let describeClientQuotas = APIKey(rawValue: 48)
    public static let alterClientQuotas = APIKey(rawValue: 49)
    public static let describeUserScramCredentials = APIKey(rawValue: 50)
    public static let alterUserScramCredentials = APIKey(rawValue: 51)
    public static let vote = APIKey(rawValue: 52)
    public static let beginQuorumEpoch = APIKey(rawValue: 53)
    public static let endQuorumEpoch = APIKey(rawValue: 54)
    public static let describeQuorum = APIKey(rawValue: 55)
    public static let alterPartition = APIKey(rawValue: 56)
    public static let updateFeatures = APIKey(rawValue: 57)
    public static let envelope = APIKey(rawValue: 58)
    public static let fetchSnapshot = APIKey(rawValue: 59)
    public static let describeCluster = APIKey(rawValue: 60)
    public static let describeProducers = APIKey(rawValue: 61)
    public static let brokerRegistration = APIKey(rawValue: 62)
    public static let brokerHeartbeat = APIKey(rawValue: 63)
    public static let unregisterBroker = APIKey(rawValue: 64)
    public static let describeTransactions = APIKey(rawValue: 65)
    public static let listTransactions = APIKey(rawValue: 66)
    public static let allocateProducerIds = APIKey(rawValue: 67)
    public static let consumerGroupHeartbeat = APIKey(rawValue: 68)
    public static let consumerGroupDescribe = APIKey(rawValue: 69)
    public static let controllerRegistration = APIKey(rawValue: 70)
    public static let getTelemetrySubscriptions = APIKey(rawValue: 71)
    public static let pushTelemetry = APIKey(rawValue: 72)
    public static let assignReplicasToDirs = APIKey(rawValue: 73)
    public static let listClientMetricsResources = APIKey(rawValue: 74)
    public static let describeTopicPartitions = APIKey(rawValue: 75)
    public static let shareGroupHeartbeat = APIKey(rawValue: 76)
    public static let shareGroupDescribe = APIKey(rawValue: 77)
    public static let shareFetch = APIKey(rawValue: 78)
    public static let shareAcknowledge = APIKey(rawValue: 79)
    public static let addRaftVoter = APIKey(rawValue: 80)
    public static let removeRaftVoter = APIKey(rawValue: 81)
    public static let updateRaftVoter = APIKey(rawValue: 82)
    public static let initializeShareGroupState = APIKey(rawValue: 83)
    public static let readShareGroupState = APIKey(rawValue: 84)
    public static let writeShareGroupState = APIKey(rawValue: 85)
    public static let deleteShareGroupState = APIKey(rawValue: 86)
    public static let readShareGroupStateSummary = APIKey(rawValue: 87)

    /// Every API key defined in the message definitions, in key order.
    public static let allKnown: [APIKey] = [
        .produce,
        .fetch,
        .listOffsets,
        .metadata,
        .leaderAndIsr,
        .stopReplica,
        .updateMetadata,
        .controlledShutdown,
        .offsetCommit,
        .offsetFetch,
        .findCoordinator,
        .joinGroup,
        .heartbeat,
        .leaveGroup,
        .syncGroup,
        .describeGroups,
        .listGroups,
        .saslHandshake,
        .apiVersions,
        .createTopics,
        .deleteTopics,
        .deleteRecords,
        .initProducerId,
        .offsetForLeaderEpoch,
        .addPartitionsToTxn,
        .addOffsetsToTxn,
        .endTxn,
        .writeTxnMarkers,
        .txnOffsetCommit,
        .describeAcls,
        .createAcls,
        .deleteAcls,
        .describeConfigs,
        .alterConfigs,
        .alterReplicaLogDirs,
        .describeLogDirs,
        .saslAuthenticate,
        .createPartitions,
        .createDelegationToken,
        .renewDelegationToken,
        .expireDelegationToken,
        .describeDelegationToken,
        .deleteGroups,
        .electLeaders,
        .incrementalAlterConfigs,
        .alterPartitionReassignments,
        .listPartitionReassignments,
        .offsetDelete,
        .describeClientQuotas,
        .alterClientQuotas,
        .describeUserScramCredentials,
        .alterUserScramCredentials,
        .vote,
        .beginQuorumEpoch,
        .endQuorumEpoch,
        .describeQuorum,
        .alterPartition,
        .updateFeatures,
        .envelope,
        .fetchSnapshot,
        .describeCluster,
        .describeProducers,
        .brokerRegistration,
        .brokerHeartbeat,
        .unregisterBroker,
        .describeTransactions,
        .listTransactions,
        .allocateProducerIds,
        .consumerGroupHeartbeat,
        .consumerGroupDescribe,
        .controllerRegistration,
        .getTelemetrySubscriptions,
        .pushTelemetry,
        .assignReplicasToDirs,
        .listClientMetricsResources,
        .describeTopicPartitions,
        .shareGroupHeartbeat,
        .shareGroupDescribe,
        .shareFetch,
        .shareAcknowledge,
        .addRaftVoter,
        .removeRaftVoter,
        .updateRaftVoter,
        .initializeShareGroupState,
        .readShareGroupState,
        .writeShareGroupState,
        .deleteShareGroupState,
        .readShareGroupStateSummary,
    ]

    /// The API's name as Kafka spells it ("Produce"), or "Unknown(<key>)".
    public var name: String {
        switch rawValue {
        case 0: return "Produce"
        case 1: return "Fetch"
        case 2: return "ListOffsets"
        case 3: return "Metadata"
        case 4: return "LeaderAndIsr"
        case 5: return "StopReplica"
        case 6: return "UpdateMetadata"
        case 7: return "ControlledShutdown"
        case 8: return "OffsetCommit"
        case 9: return "OffsetFetch"
        case 10: return "FindCoordinator"
        case 11: return "JoinGroup"
        case 12: return "Heartbeat"
        case 13: return "LeaveGroup"
        case 14: return "SyncGroup"
        case 15: return "DescribeGroups"
        case 16: return "ListGroups"
        case 17: return "SaslHandshake"
        case 18: return "ApiVersions"
        case 19: return "CreateTopics"
        case 20: return "DeleteTopics"
        case 21: return "DeleteRecords"
        case 22: return "InitProducerId"
        case 23: return "OffsetForLeaderEpoch"
        case 24: return "AddPartitionsToTxn"
        case 25: return "AddOffsetsToTxn"
        case 26: return "EndTxn"
        case 27: return "WriteTxnMarkers"
        case 28: return "TxnOffsetCommit"
        case 29: return "DescribeAcls"
        case 30: return "CreateAcls"
        case 31: return "DeleteAcls"
        case 32: return "DescribeConfigs"
        case 33: return "AlterConfigs"
        case 34: return "AlterReplicaLogDirs"
        case 35: return "DescribeLogDirs"
        case 36: return "SaslAuthenticate"
        case 37: return "CreatePartitions"
        case 38: return "CreateDelegationToken"
        case 39: return "RenewDelegationToken"
        case 40: return "ExpireDelegationToken"
        case 41: return "DescribeDelegationToken"
        case 42: return "DeleteGroups"
        case 43: return "ElectLeaders"
        case 44: return "IncrementalAlterConfigs"
        case 45: return "AlterPartitionReassignments"
        case 46: return "ListPartitionReassignments"
        case 47: return "OffsetDelete"
        case 48: return "DescribeClientQuotas"
        case 49: return "AlterClientQuotas"
        case 50: return "DescribeUserScramCredentials"
        case 51: return "AlterUserScramCredentials"
        case 52: return "Vote"
        case 53: return "BeginQuorumEpoch"
        case 54: return "EndQuorumEpoch"
        case 55: return "DescribeQuorum"
        case 56: return "AlterPartition"
        case 57: return "UpdateFeatures"
        case 58: return "Envelope"
        case 59: return "FetchSnapshot"
        case 60: return "DescribeCluster"
        case 61: return "DescribeProducers"
        case 62: return "BrokerRegistration"
        case 63: return "BrokerHeartbeat"
        case 64: return "UnregisterBroker"
        case 65: return "DescribeTransactions"
        case 66: return "ListTransactions"
        case 67: return "AllocateProducerIds"
        case 68: return "ConsumerGroupHeartbeat"
        case 69: return "ConsumerGroupDescribe"
        case 70: return "ControllerRegistration"
        case 71: return "GetTelemetrySubscriptions"
        case 72: return "PushTelemetry"
        case 73: return "AssignReplicasToDirs"
        case 74: return "ListClientMetricsResources"
        case 75: return "DescribeTopicPartitions"
        case 76: return "ShareGroupHeartbeat"
        case 77: return "ShareGroupDescribe"
        case 78: return "ShareFetch"
        case 79: return "ShareAcknowledge"
        case 80: return "AddRaftVoter"
        case 81: return "RemoveRaftVoter"
        case 82: return "UpdateRaftVoter"
        case 83: return "InitializeShareGroupState"
        case 84: return "ReadShareGroupState"
        case 85: return "WriteShareGroupState"
        case 86: return "DeleteShareGroupState"
        case 87: return "ReadShareGroupStateSummary"
        default: return "Unknown(\(rawValue))"
        }
    }

    public var isKnown: Bool {
        definedVersions != nil
    }

    /// The request's validVersions in its definition, nil for an unknown key.
    public var definedVersions: ClosedRange<Int16>? {
        switch rawValue {
        case 0: return 0...11
        case 1: return 0...17
        case 2: return 0...10
        case 3: return 0...12
        case 4: return 0...7
        case 5: return 0...4
        case 6: return 0...8
        case 7: return 0...3
        case 8: return 0...9
        case 9: return 0...9
        case 10: return 0...6
        case 11: return 0...9
        case 12: return 0...4
        case 13: return 0...5
        case 14: return 0...5
        case 15: return 0...5
        case 16: return 0...5
        case 17: return 0...1
        case 18: return 0...4
        case 19: return 0...7
        case 20: return 0...6
        case 21: return 0...2
        case 22: return 0...5
        case 23: return 0...4
        case 24: return 0...5
        case 25: return 0...4
        case 26: return 0...5
        case 27: return 0...1
        case 28: return 0...4
        case 29: return 0...3
        case 30: return 0...3
        case 31: return 0...3
        case 32: return 0...4
        case 33: return 0...2
        case 34: return 0...2
        case 35: return 0...4
        case 36: return 0...2
        case 37: return 0...3
        case 38: return 0...3
        case 39: return 0...2
        case 40: return 0...2
        case 41: return 0...3
        case 42: return 0...2
        case 43: return 0...2
        case 44: return 0...1
        case 45: return 0...0
        case 46: return 0...0
        case 47: return 0...0
        case 48: return 0...1
        case 49: return 0...1
        case 50: return 0...0
        case 51: return 0...0
        case 52: return 0...1
        case 53: return 0...1
        case 54: return 0...1
        case 55: return 0...2
        case 56: return 0...3
        case 57: return 0...2
        case 58: return 0...0
        case 59: return 0...1
        case 60: return 0...1
        case 61: return 0...0
        case 62: return 0...4
        case 63: return 0...1
        case 64: return 0...0
        case 65: return 0...0
        case 66: return 0...1
        case 67: return 0...0
        case 68: return 0...1
        case 69: return 0...0
        case 70: return 0...0
        case 71: return 0...0
        case 72: return 0...0
        case 73: return 0...0
        case 74: return 0...0
        case 75: return 0...0
        case 76: return 0...0
        case 77: return 0...0
        case 78: return 0...0
        case 79: return 0...0
        case 80: return 0...0
        case 81: return 0...0
        case 82: return 0...0
        case 83: return 0...0
        case 84: return 0...0
        case 85: return 0...0
        case 86: return 0...0
        case 87: return 0...0
        default: return nil
        }
    }

    /// Whether this API's request (and response) is flexible at `version`; false for unknown keys.
    public func isFlexible(_ version: Int16) -> Bool {
        switch rawValue {
        case 0: return version >= 9
        case 1: return version >= 12
        case 2: return version >= 6
        case 3: return version >= 9
        case 4: return version >= 4
        case 5: return version >= 2
        case 6: return version >= 6
        case 7: return version >= 3
        case 8: return version >= 8
        case 9: return version >= 6
        case 10: return version >= 3
        case 11: return version >= 6
        case 12: return version >= 4
        case 13: return version >= 4
        case 14: return version >= 4
        case 15: return version >= 5
        case 16: return version >= 3
        case 17: return false
        case 18: return version >= 3
        case 19: return version >= 5
        case 20: return version >= 4
        case 21: return version >= 2
        case 22: return version >= 2
        case 23: return version >= 4
        case 24: return version >= 3
        case 25: return version >= 3
        case 26: return version >= 3
        case 27: return version >= 1
        case 28: return version >= 3
        case 29: return version >= 2
        case 30: return version >= 2
        case 31: return version >= 2
        case 32: return version >= 4
        case 33: return version >= 2
        case 34: return version >= 2
        case 35: return version >= 2
        case 36: return version >= 2
        case 37: return version >= 2
        case 38: return version >= 2
        case 39: return version >= 2
        case 40: return version >= 2
        case 41: return version >= 2
        case 42: return version >= 2
        case 43: return version >= 2
        case 44: return version >= 1
        case 45: return version >= 0
        case 46: return version >= 0
        case 47: return false
        case 48: return version >= 1
        case 49: return version >= 1
        case 50: return version >= 0
        case 51: return version >= 0
        case 52: return version >= 0
        case 53: return version >= 1
        case 54: return version >= 1
        case 55: return version >= 0
        case 56: return version >= 0
        case 57: return version >= 0
        case 58: return version >= 0
        case 59: return version >= 0
        case 60: return version >= 0
        case 61: return version >= 0
        case 62: return version >= 0
        case 63: return version >= 0
        case 64: return version >= 0
        case 65: return version >= 0
        case 66: return version >= 0
        case 67: return version >= 0
        case 68: return version >= 0
        case 69: return version >= 0
        case 70: return version >= 0
        case 71: return version >= 0
        case 72: return version >= 0
        case 73: return version >= 0
        case 74: return version >= 0
        case 75: return version >= 0
        case 76: return version >= 0
        case 77: return version >= 0
        case 78: return version >= 0
        case 79: return version >= 0
        case 80: return version >= 0
        case 81: return version >= 0
        case 82: return version >= 0
        case 83: return version >= 0
        case 84: return version >= 0
        case 85: return version >= 0
        case 86: return version >= 0
        case 87: return version >= 0
        default: return false
        }
    }

    public var description: String { name }
}
