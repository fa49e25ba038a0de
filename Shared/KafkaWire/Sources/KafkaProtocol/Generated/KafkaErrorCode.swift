// GENERATED FILE - DO NOT EDIT. Generated from error-codes.tsv
// (Apache Kafka's message definitions, apache/kafka 1eb7644349cb) by:
//     python3 scripts/generate-messages.py


/// A Kafka error code. Codes this library does not know are still representable.
public struct KafkaErrorCode: RawRepresentable, Hashable, Sendable, Error, CustomStringConvertible {
    public var rawValue: Int16

    public init(rawValue: Int16) {
        self.rawValue = rawValue
    }

    /// The server experienced an unexpected error when processing the request.
    public static let unknownServerError = KafkaErrorCode(rawValue: -1)
    public static let none = KafkaErrorCode(rawValue: 0)
    /// The requested offset is not within the range of offsets maintained by the server.
    public static let offsetOutOfRange = KafkaErrorCode(rawValue: 1)
    /// This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt.
    public static let corruptMessage = KafkaErrorCode(rawValue: 2)
    /// This server does not host this topic-partition.
    public static let unknownTopicOrPartition = KafkaErrorCode(rawValue: 3)
    /// The requested fetch size is invalid.
    public static let invalidFetchSize = KafkaErrorCode(rawValue: 4)
    /// There is no leader for this topic-partition as we are in the middle of a leadership election.
    public static let leaderNotAvailable = KafkaErrorCode(rawValue: 5)
    /// For requests intended only for the leader, this error indicates that the broker is not the current leader.  For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition.
    public static let notLeaderOrFollower = KafkaErrorCode(rawValue: 6)
    /// The request timed out.
    public static let requestTimedOut = KafkaErrorCode(rawValue: 7)
    /// The broker is not available.
    public static let brokerNotAvailable = KafkaErrorCode(rawValue: 8)
    /// The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests  intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition.
    public static let replicaNotAvailable = KafkaErrorCode(rawValue: 9)
    /// The request included a message larger than the max message size the server will accept.
    public static let messageTooLarge = KafkaErrorCode(rawValue: 10)
    /// The controller moved to another broker.
    public static let staleControllerEpoch = KafkaErrorCode(rawValue: 11)
    /// The metadata field of the offset request was too large.
    public static let offsetMetadataTooLarge = KafkaErrorCode(rawValue: 12)
    /// The server disconnected before a response was received.
    public static let networkException = KafkaErrorCode(rawValue: 13)
    /// The coordinator is loading and hence can't process requests.
    public static let coordinatorLoadInProgress = KafkaErrorCode(rawValue: 14)
    /// The coordinator is not available.
    public static let coordinatorNotAvailable = KafkaErrorCode(rawValue: 15)
    /// This is not the correct coordinator.
    public static let notCoordinator = KafkaErrorCode(rawValue: 16)
    /// The request attempted to perform an operation on an invalid topic.
    public static let invalidTopicException = KafkaErrorCode(rawValue: 17)
    /// The request included message batch larger than the configured segment size on the server.
    public static let recordListTooLarge = KafkaErrorCode(rawValue: 18)
    /// Messages are rejected since there are fewer in-sync replicas than required.
    public static let notEnoughReplicas = KafkaErrorCode(rawValue: 19)
    /// Messages are written to the log, but to fewer in-sync replicas than required.
    public static let notEnoughReplicasAfterAppend = KafkaErrorCode(rawValue: 20)
    /// Produce request specified an invalid value for required acks.
    public static let invalidRequiredAcks = KafkaErrorCode(rawValue: 21)
    /// Specified group generation id is not valid.
    public static let illegalGeneration = KafkaErrorCode(rawValue: 22)
    /// The group member's supported protocols are incompatible with those of existing members  or first group member tried to join with empty protocol type or empty protocol list.
    public static let inconsistentGroupProtocol = KafkaErrorCode(rawValue: 23)
    /// The configured groupId is invalid.
    public static let invalidGroupId = KafkaErrorCode(rawValue: 24)
    /// The coordinator is not aware of this member.
    public static let unknownMemberId = KafkaErrorCode(rawValue: 25)
    /// The session timeout is not within the range allowed by the broker  (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms).
    public static let invalidSessionTimeout = KafkaErrorCode(rawValue: 26)
    /// The group is rebalancing, so a rejoin is needed.
    public static let rebalanceInProgress = KafkaErrorCode(rawValue: 27)
    /// The committing offset data size is not valid.
    public static let invalidCommitOffsetSize = KafkaErrorCode(rawValue: 28)
    /// Topic authorization failed.
    public static let topicAuthorizationFailed = KafkaErrorCode(rawValue: 29)
    /// Group authorization failed.
    public static let groupAuthorizationFailed = KafkaErrorCode(rawValue: 30)
    /// Cluster authorization failed.
    public static let clusterAuthorizationFailed = KafkaErrorCode(rawValue: 31)
    /// The timestamp of the message is out of acceptable range.
    public static let invalidTimestamp = KafkaErrorCode(rawValue: 32)
    /// The broker does not support the requested SASL mechanism.
    public static let unsupportedSaslMechanism = KafkaErrorCode(rawValue: 33)
    /// Request is not valid given the current SASL state.
    public static let illegalSaslState = KafkaErrorCode(rawValue: 34)
    /// The version of API is not supported.
    public static let unsupportedVersion = KafkaErrorCode(rawValue: 35)
    /// Topic with this name already exists.
    public static let topicAlreadyExists = KafkaErrorCode(rawValue: 36)
    /// Number of partitions is below 1.
    public static let invalidPartitions = KafkaErrorCode(rawValue: 37)
    /// Replication factor is below 1 or larger than the number of available brokers.
    public static let invalidReplicationFactor = KafkaErrorCode(rawValue: 38)
    /// Replica assignment is invalid.
    public static let invalidReplicaAssignment = KafkaErrorCode(rawValue: 39)
    /// Configuration is invalid.
    public static let invalidConfig = KafkaErrorCode(rawValue: 40)
    /// This is not the correct controller for this cluster.
    public static let notController = KafkaErrorCode(rawValue: 41)
    /// This most likely occurs because of a request being malformed by the  client library or the message was sent to an incompatible broker. See the broker logs  for more details.
    public static let invalidRequest = KafkaErrorCode(rawValue: 42)
    /// The message format version on the broker does not support the request.
    public static let unsupportedForMessageFormat = KafkaErrorCode(rawValue: 43)
    /// Request parameters do not satisfy the configured policy.
    public static let policyViolation = KafkaErrorCode(rawValue: 44)
    /// The broker received an out of order sequence number.
    public static let outOfOrderSequenceNumber = KafkaErrorCode(rawValue: 45)
    /// The broker received a duplicate sequence number.
    public static let duplicateSequenceNumber = KafkaErrorCode(rawValue: 46)
    /// Producer attempted to produce with an old epoch.
    public static let invalidProducerEpoch = KafkaErrorCode(rawValue: 47)
    /// The producer attempted a transactional operation in an invalid state.
    public static let invalidTxnState = KafkaErrorCode(rawValue: 48)
    /// The producer attempted to use a producer id which is not currently assigned to  its transactional id.
    public static let invalidProducerIdMapping = KafkaErrorCode(rawValue: 49)
    /// The transaction timeout is larger than the maximum value allowed by  the broker (as configured by transaction.max.timeout.ms).
    public static let invalidTransactionTimeout = KafkaErrorCode(rawValue: 50)
    /// The producer attempted to update a transaction  while another concurrent operation on the same transaction was ongoing.
    public static let concurrentTransactions = KafkaErrorCode(rawValue: 51)
    /// Indicates that the transaction coordinator sending a WriteTxnMarker  is no longer the current coordinator for a given producer.
    public static let transactionCoordinatorFenced = KafkaErrorCode(rawValue: 52)
    /// Transactional Id authorization failed.
    public static let transactionalIdAuthorizationFailed = KafkaErrorCode(rawValue: 53)
    /// Security features are disabled.
    public static let securityDisabled = KafkaErrorCode(rawValue: 54)
    /// The broker did not attempt to execute this operation. This may happen for  batched RPCs where some operations in the batch failed, causing the broker to respond without  trying the rest.
    public static let operationNotAttempted = KafkaErrorCode(rawValue: 55)
    /// Disk error when trying to access log file on the disk.
    public static let kafkaStorageError = KafkaErrorCode(rawValue: 56)
    /// The user-specified log directory is not found in the broker config.
    public static let logDirNotFound = KafkaErrorCode(rawValue: 57)
    /// SASL Authentication failed.
    public static let saslAuthenticationFailed = KafkaErrorCode(rawValue: 58)
    /// This exception is raised by the broker if it could not locate the producer metadata  associated with the producerId in question. This could happen if, for instance, the producer's records  were deleted because their retention time had elapsed. Once the last records of the producerId are  removed, the producer's metadata is removed from the broker, and future appends by the producer will  return this exception.
    public static let unknownProducerId = KafkaErrorCode(rawValue: 59)
    /// A partition reassignment is in progress.
    public static let reassignmentInProgress = KafkaErrorCode(rawValue: 60)
    /// Delegation Token feature is not enabled.
    public static let delegationTokenAuthDisabled = KafkaErrorCode(rawValue: 61)
    /// Delegation Token is not found on server.
    public static let delegationTokenNotFound = KafkaErrorCode(rawValue: 62)
    /// Specified Principal is not valid Owner/Renewer.
    public static let delegationTokenOwnerMismatch = KafkaErrorCode(rawValue: 63)
    /// Delegation Token requests are not allowed on PLAINTEXT/1-way SSL  channels and on delegation token authenticated channels.
    public static let delegationTokenRequestNotAllowed = KafkaErrorCode(rawValue: 64)
    /// Delegation Token authorization failed.
    public static let delegationTokenAuthorizationFailed = KafkaErrorCode(rawValue: 65)
    /// Delegation Token is expired.
    public static let delegationTokenExpired = KafkaErrorCode(rawValue: 66)
    /// Supplied principalType is not supported.
    public static let invalidPrincipalType = KafkaErrorCode(rawValue: 67)
    /// The group is not empty.
    public static let nonEmptyGroup = KafkaErrorCode(rawValue: 68)
    /// The group id does not exist.
    public static let groupIdNotFound = KafkaErrorCode(rawValue: 69)
    /// The fetch session ID was not found.
    public static let fetchSessionIdNotFound = KafkaErrorCode(rawValue: 70)
    /// The fetch session epoch is invalid.
    public static let invalidFetchSessionEpoch = KafkaErrorCode(rawValue: 71)
    /// There is no listener on the leader broker that matches the listener on which  metadata request was processed.
    public static let listenerNotFound = KafkaErrorCode(rawValue: 72)
    /// Topic deletion is disabled.
    public static let topicDeletionDisabled = KafkaErrorCode(rawValue: 73)
    /// The leader epoch in the request is older than the epoch on the broker.
    public static let fencedLeaderEpoch = KafkaErrorCode(rawValue: 74)
    /// The leader epoch in the request is newer than the epoch on the broker.
    public static let unknownLeaderEpoch = KafkaErrorCode(rawValue: 75)
    /// The requesting client does not support the compression type of given partition.
    public static let unsupportedCompressionType = KafkaErrorCode(rawValue: 76)
    /// Broker epoch has changed.
    public static let staleBrokerEpoch = KafkaErrorCode(rawValue: 77)
    /// The leader high watermark has not caught up from a recent leader  election so the offsets cannot be guaranteed to be monotonically increasing.
    public static let offsetNotAvailable = KafkaErrorCode(rawValue: 78)
    /// The group member needs to have a valid member id before actually entering a consumer group.
    public static let memberIdRequired = KafkaErrorCode(rawValue: 79)
    /// The preferred leader was not available.
    public static let preferredLeaderNotAvailable = KafkaErrorCode(rawValue: 80)
    /// The consumer group has reached its max size.
    public static let groupMaxSizeReached = KafkaErrorCode(rawValue: 81)
    /// The broker rejected this static consumer since  another consumer with the same group.instance.id has registered with a different member.id.
    public static let fencedInstanceId = KafkaErrorCode(rawValue: 82)
    /// Eligible topic partition leaders are not available.
    public static let eligibleLeadersNotAvailable = KafkaErrorCode(rawValue: 83)
    /// Leader election not needed for topic partition.
    public static let electionNotNeeded = KafkaErrorCode(rawValue: 84)
    /// No partition reassignment is in progress.
    public static let noReassignmentInProgress = KafkaErrorCode(rawValue: 85)
    /// Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it.
    public static let groupSubscribedToTopic = KafkaErrorCode(rawValue: 86)
    /// This record has failed the validation on broker and hence will be rejected.
    public static let invalidRecord = KafkaErrorCode(rawValue: 87)
    /// There are unstable offsets that need to be cleared.
    public static let unstableOffsetCommit = KafkaErrorCode(rawValue: 88)
    /// The throttling quota has been exceeded.
    public static let throttlingQuotaExceeded = KafkaErrorCode(rawValue: 89)
    /// There is a newer producer with the same transactionalId  which fences the current one.
    public static let producerFenced = KafkaErrorCode(rawValue: 90)
    /// A request illegally referred to a resource that does not exist.
    public static let resourceNotFound = KafkaErrorCode(rawValue: 91)
    /// A request illegally referred to the same resource twice.
    public static let duplicateResource = KafkaErrorCode(rawValue: 92)
    /// Requested credential would not meet criteria for acceptability.
    public static let unacceptableCredential = KafkaErrorCode(rawValue: 93)
    /// Indicates that the either the sender or recipient of a  voter-only request is not one of the expected voters.
    public static let inconsistentVoterSet = KafkaErrorCode(rawValue: 94)
    /// The given update version was invalid.
    public static let invalidUpdateVersion = KafkaErrorCode(rawValue: 95)
    /// Unable to update finalized features due to an unexpected server error.
    public static let featureUpdateFailed = KafkaErrorCode(rawValue: 96)
    /// Request principal deserialization failed during forwarding.  This indicates an internal error on the broker cluster security setup.
    public static let principalDeserializationFailure = KafkaErrorCode(rawValue: 97)
    /// Requested snapshot was not found.
    public static let snapshotNotFound = KafkaErrorCode(rawValue: 98)
    /// This server does not host this topic ID.
    public static let unknownTopicId = KafkaErrorCode(rawValue: 100)
    /// This broker ID is already in use.
    public static let duplicateBrokerRegistration = KafkaErrorCode(rawValue: 101)
    /// The given broker ID was not registered.
    public static let brokerIdNotRegistered = KafkaErrorCode(rawValue: 102)
    /// The log's topic ID did not match the topic ID in the request.
    public static let inconsistentTopicId = KafkaErrorCode(rawValue: 103)
    /// The clusterId in the request does not match that found on the server.
    public static let inconsistentClusterId = KafkaErrorCode(rawValue: 104)
    /// The transactionalId could not be found.
    public static let transactionalIdNotFound = KafkaErrorCode(rawValue: 105)
    /// The fetch session encountered inconsistent topic ID usage.
    public static let fetchSessionTopicIdError = KafkaErrorCode(rawValue: 106)
    /// The new ISR contains at least one ineligible replica.
    public static let ineligibleReplica = KafkaErrorCode(rawValue: 107)
    /// The AlterPartition request successfully updated the partition state but the leader has changed.
    public static let newLeaderElected = KafkaErrorCode(rawValue: 108)
    /// The requested offset is moved to tiered storage.
    public static let offsetMovedToTieredStorage = KafkaErrorCode(rawValue: 109)
    /// The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin.
    public static let fencedMemberEpoch = KafkaErrorCode(rawValue: 110)
    /// The instance ID is still used by another member in the consumer group. That member must leave first.
    public static let unreleasedInstanceId = KafkaErrorCode(rawValue: 111)
    /// The assignor or its version range is not supported by the consumer group.
    public static let unsupportedAssignor = KafkaErrorCode(rawValue: 112)
    /// The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API.
    public static let staleMemberEpoch = KafkaErrorCode(rawValue: 113)
    /// The request was sent to an endpoint of the wrong type.
    public static let mismatchedEndpointType = KafkaErrorCode(rawValue: 114)
    /// This endpoint type is not supported yet.
    public static let unsupportedEndpointType = KafkaErrorCode(rawValue: 115)
    /// This controller ID is not known.
    public static let unknownControllerId = KafkaErrorCode(rawValue: 116)
    /// Client sent a push telemetry request with an invalid or outdated subscription ID.
    public static let unknownSubscriptionId = KafkaErrorCode(rawValue: 117)
    /// Client sent a push telemetry request larger than the maximum size the broker will accept.
    public static let telemetryTooLarge = KafkaErrorCode(rawValue: 118)
    /// The controller has considered the broker registration to be invalid.
    public static let invalidRegistration = KafkaErrorCode(rawValue: 119)
    /// The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID.
    public static let transactionAbortable = KafkaErrorCode(rawValue: 120)
    /// The record state is invalid. The acknowledgement of delivery could not be completed.
    public static let invalidRecordState = KafkaErrorCode(rawValue: 121)
    /// The share session was not found.
    public static let shareSessionNotFound = KafkaErrorCode(rawValue: 122)
    /// The share session epoch is invalid.
    public static let invalidShareSessionEpoch = KafkaErrorCode(rawValue: 123)
    /// The share coordinator rejected the request because the share-group state epoch did not match.
    public static let fencedStateEpoch = KafkaErrorCode(rawValue: 124)
    /// The voter key doesn't match the receiving replica's key.
    public static let invalidVoterKey = KafkaErrorCode(rawValue: 125)
    /// The voter is already part of the set of voters.
    public static let duplicateVoter = KafkaErrorCode(rawValue: 126)
    /// The voter is not part of the set of voters.
    public static let voterNotFound = KafkaErrorCode(rawValue: 127)
    /// The regular expression is not valid.
    public static let invalidRegularExpression = KafkaErrorCode(rawValue: 128)

    /// Kafka's UPPER_SNAKE name ("UNKNOWN_TOPIC_OR_PARTITION"), or "UNKNOWN_CODE_<n>".
    public var name: String {
        switch rawValue {
        case -1: return "UNKNOWN_SERVER_ERROR"
        case 0: return "NONE"
        case 1: return "OFFSET_OUT_OF_RANGE"
        case 2: return "CORRUPT_MESSAGE"
        case 3: return "UNKNOWN_TOPIC_OR_PARTITION"
        case 4: return "INVALID_FETCH_SIZE"
        case 5: return "LEADER_NOT_AVAILABLE"
        case 6: return "NOT_LEADER_OR_FOLLOWER"
        case 7: return "REQUEST_TIMED_OUT"
        case 8: return "BROKER_NOT_AVAILABLE"
        case 9: return "REPLICA_NOT_AVAILABLE"
        case 10: return "MESSAGE_TOO_LARGE"
        case 11: return "STALE_CONTROLLER_EPOCH"
        case 12: return "OFFSET_METADATA_TOO_LARGE"
        case 13: return "NETWORK_EXCEPTION"
        case 14: return "COORDINATOR_LOAD_IN_PROGRESS"
        case 15: return "COORDINATOR_NOT_AVAILABLE"
        case 16: return "NOT_COORDINATOR"
        case 17: return "INVALID_TOPIC_EXCEPTION"
        case 18: return "RECORD_LIST_TOO_LARGE"
        case 19: return "NOT_ENOUGH_REPLICAS"
        case 20: return "NOT_ENOUGH_REPLICAS_AFTER_APPEND"
        case 21: return "INVALID_REQUIRED_ACKS"
        case 22: return "ILLEGAL_GENERATION"
        case 23: return "INCONSISTENT_GROUP_PROTOCOL"
        case 24: return "INVALID_GROUP_ID"
        case 25: return "UNKNOWN_MEMBER_ID"
        case 26: return "INVALID_SESSION_TIMEOUT"
        case 27: return "REBALANCE_IN_PROGRESS"
        case 28: return "INVALID_COMMIT_OFFSET_SIZE"
        case 29: return "TOPIC_AUTHORIZATION_FAILED"
        case 30: return "GROUP_AUTHORIZATION_FAILED"
        case 31: return "CLUSTER_AUTHORIZATION_FAILED"
        case 32: return "INVALID_TIMESTAMP"
        case 33: return "UNSUPPORTED_SASL_MECHANISM"
        case 34: return "ILLEGAL_SASL_STATE"
        case 35: return "UNSUPPORTED_VERSION"
        case 36: return "TOPIC_ALREADY_EXISTS"
        case 37: return "INVALID_PARTITIONS"
        case 38: return "INVALID_REPLICATION_FACTOR"
        case 39: return "INVALID_REPLICA_ASSIGNMENT"
        case 40: return "INVALID_CONFIG"
        case 41: return "NOT_CONTROLLER"
        case 42: return "INVALID_REQUEST"
        case 43: return "UNSUPPORTED_FOR_MESSAGE_FORMAT"
        case 44: return "POLICY_VIOLATION"
        case 45: return "OUT_OF_ORDER_SEQUENCE_NUMBER"
        case 46: return "DUPLICATE_SEQUENCE_NUMBER"
        case 47: return "INVALID_PRODUCER_EPOCH"
        case 48: return "INVALID_TXN_STATE"
        case 49: return "INVALID_PRODUCER_ID_MAPPING"
        case 50: return "INVALID_TRANSACTION_TIMEOUT"
        case 51: return "CONCURRENT_TRANSACTIONS"
        case 52: return "TRANSACTION_COORDINATOR_FENCED"
        case 53: return "TRANSACTIONAL_ID_AUTHORIZATION_FAILED"
        case 54: return "SECURITY_DISABLED"
        case 55: return "OPERATION_NOT_ATTEMPTED"
        case 56: return "KAFKA_STORAGE_ERROR"
        case 57: return "LOG_DIR_NOT_FOUND"
        case 58: return "SASL_AUTHENTICATION_FAILED"
        case 59: return "UNKNOWN_PRODUCER_ID"
        case 60: return "REASSIGNMENT_IN_PROGRESS"
        case 61: return "DELEGATION_TOKEN_AUTH_DISABLED"
        case 62: return "DELEGATION_TOKEN_NOT_FOUND"
        case 63: return "DELEGATION_TOKEN_OWNER_MISMATCH"
        case 64: return "DELEGATION_TOKEN_REQUEST_NOT_ALLOWED"
        case 65: return "DELEGATION_TOKEN_AUTHORIZATION_FAILED"
        case 66: return "DELEGATION_TOKEN_EXPIRED"
        case 67: return "INVALID_PRINCIPAL_TYPE"
        case 68: return "NON_EMPTY_GROUP"
        case 69: return "GROUP_ID_NOT_FOUND"
        case 70: return "FETCH_SESSION_ID_NOT_FOUND"
        case 71: return "INVALID_FETCH_SESSION_EPOCH"
        case 72: return "LISTENER_NOT_FOUND"
        case 73: return "TOPIC_DELETION_DISABLED"
        case 74: return "FENCED_LEADER_EPOCH"
        case 75: return "UNKNOWN_LEADER_EPOCH"
        case 76: return "UNSUPPORTED_COMPRESSION_TYPE"
        case 77: return "STALE_BROKER_EPOCH"
        case 78: return "OFFSET_NOT_AVAILABLE"
        case 79: return "MEMBER_ID_REQUIRED"
        case 80: return "PREFERRED_LEADER_NOT_AVAILABLE"
        case 81: return "GROUP_MAX_SIZE_REACHED"
        case 82: return "FENCED_INSTANCE_ID"
        case 83: return "ELIGIBLE_LEADERS_NOT_AVAILABLE"
        case 84: return "ELECTION_NOT_NEEDED"
        case 85: return "NO_REASSIGNMENT_IN_PROGRESS"
        case 86: return "GROUP_SUBSCRIBED_TO_TOPIC"
        case 87: return "INVALID_RECORD"
        case 88: return "UNSTABLE_OFFSET_COMMIT"
        case 89: return "THROTTLING_QUOTA_EXCEEDED"
        case 90: return "PRODUCER_FENCED"
        case 91: return "RESOURCE_NOT_FOUND"
        case 92: return "DUPLICATE_RESOURCE"
        case 93: return "UNACCEPTABLE_CREDENTIAL"
        case 94: return "INCONSISTENT_VOTER_SET"
        case 95: return "INVALID_UPDATE_VERSION"
        case 96: return "FEATURE_UPDATE_FAILED"
        case 97: return "PRINCIPAL_DESERIALIZATION_FAILURE"
        case 98: return "SNAPSHOT_NOT_FOUND"
        case 100: return "UNKNOWN_TOPIC_ID"
        case 101: return "DUPLICATE_BROKER_REGISTRATION"
        case 102: return "BROKER_ID_NOT_REGISTERED"
        case 103: return "INCONSISTENT_TOPIC_ID"
        case 104: return "INCONSISTENT_CLUSTER_ID"
        case 105: return "TRANSACTIONAL_ID_NOT_FOUND"
        case 106: return "FETCH_SESSION_TOPIC_ID_ERROR"
        case 107: return "INELIGIBLE_REPLICA"
        case 108: return "NEW_LEADER_ELECTED"
        case 109: return "OFFSET_MOVED_TO_TIERED_STORAGE"
        case 110: return "FENCED_MEMBER_EPOCH"
        case 111: return "UNRELEASED_INSTANCE_ID"
        case 112: return "UNSUPPORTED_ASSIGNOR"
        case 113: return "STALE_MEMBER_EPOCH"
        case 114: return "MISMATCHED_ENDPOINT_TYPE"
        case 115: return "UNSUPPORTED_ENDPOINT_TYPE"
        case 116: return "UNKNOWN_CONTROLLER_ID"
        case 117: return "UNKNOWN_SUBSCRIPTION_ID"
        case 118: return "TELEMETRY_TOO_LARGE"
        case 119: return "INVALID_REGISTRATION"
        case 120: return "TRANSACTION_ABORTABLE"
        case 121: return "INVALID_RECORD_STATE"
        case 122: return "SHARE_SESSION_NOT_FOUND"
        case 123: return "INVALID_SHARE_SESSION_EPOCH"
        case 124: return "FENCED_STATE_EPOCH"
        case 125: return "INVALID_VOTER_KEY"
        case 126: return "DUPLICATE_VOTER"
        case 127: return "VOTER_NOT_FOUND"
        case 128: return "INVALID_REGULAR_EXPRESSION"
        default: return "UNKNOWN_CODE_\(rawValue)"
        }
    }

    public var isKnown: Bool {
        switch rawValue {
        case -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 60, 61, 62, 63, 64, 65, 66, 67, 68, 69, 70, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81, 82, 83, 84, 85, 86, 87, 88, 89, 90, 91, 92, 93, 94, 95, 96, 97, 98, 100, 101, 102, 103, 104, 105, 106, 107, 108, 109, 110, 111, 112, 113, 114, 115, 116, 117, 118, 119, 120, 121, 122, 123, 124, 125, 126, 127, 128: return true
        default: return false
        }
    }

    /// Whether a client may retry the failed request as is.
    public var isRetriable: Bool {
        switch rawValue {
        case 2, 3, 5, 6, 7, 9, 13, 14, 15, 16, 19, 20, 41, 51, 56, 70, 71, 72, 74, 75, 78, 80, 83, 84, 88, 89, 100, 103, 106, 122, 123: return true
        default: return false
        }
    }

    /// Kafka's description of the error; empty for NONE and unknown codes.
    public var message: String {
        switch rawValue {
        case -1: return "The server experienced an unexpected error when processing the request."
        case 1: return "The requested offset is not within the range of offsets maintained by the server."
        case 2: return "This message has failed its CRC checksum, exceeds the valid size, has a null key for a compacted topic, or is otherwise corrupt."
        case 3: return "This server does not host this topic-partition."
        case 4: return "The requested fetch size is invalid."
        case 5: return "There is no leader for this topic-partition as we are in the middle of a leadership election."
        case 6: return "For requests intended only for the leader, this error indicates that the broker is not the current leader.  For requests intended for any replica, this error indicates that the broker is not a replica of the topic partition."
        case 7: return "The request timed out."
        case 8: return "The broker is not available."
        case 9: return "The replica is not available for the requested topic-partition. Produce/Fetch requests and other requests  intended only for the leader or follower return NOT_LEADER_OR_FOLLOWER if the broker is not a replica of the topic-partition."
        case 10: return "The request included a message larger than the max message size the server will accept."
        case 11: return "The controller moved to another broker."
        case 12: return "The metadata field of the offset request was too large."
        case 13: return "The server disconnected before a response was received."
        case 14: return "The coordinator is loading and hence can't process requests."
        case 15: return "The coordinator is not available."
        case 16: return "This is not the correct coordinator."
        case 17: return "The request attempted to perform an operation on an invalid topic."
        case 18: return "The request included message batch larger than the configured segment size on the server."
        case 19: return "Messages are rejected since there are fewer in-sync replicas than required."
        case 20: return "Messages are written to the log, but to fewer in-sync replicas than required."
        case 21: return "Produce request specified an invalid value for required acks."
        case 22: return "Specified group generation id is not valid."
        case 23: return "The group member's supported protocols are incompatible with those of existing members  or first group member tried to join with empty protocol type or empty protocol list."
        case 24: return "The configured groupId is invalid."
        case 25: return "The coordinator is not aware of this member."
        case 26: return "The session timeout is not within the range allowed by the broker  (as configured by group.min.session.timeout.ms and group.max.session.timeout.ms)."
        case 27: return "The group is rebalancing, so a rejoin is needed."
        case 28: return "The committing offset data size is not valid."
        case 29: return "Topic authorization failed."
        case 30: return "Group authorization failed."
        case 31: return "Cluster authorization failed."
        case 32: return "The timestamp of the message is out of acceptable range."
        case 33: return "The broker does not support the requested SASL mechanism."
        case 34: return "Request is not valid given the current SASL state."
        case 35: return "The version of API is not supported."
        case 36: return "Topic with this name already exists."
        case 37: return "Number of partitions is below 1."
        case 38: return "Replication factor is below 1 or larger than the number of available brokers."
        case 39: return "Replica assignment is invalid."
        case 40: return "Configuration is invalid."
        case 41: return "This is not the correct controller for this cluster."
        case 42: return "This most likely occurs because of a request being malformed by the  client library or the message was sent to an incompatible broker. See the broker logs  for more details."
        case 43: return "The message format version on the broker does not support the request."
        case 44: return "Request parameters do not satisfy the configured policy."
        case 45: return "The broker received an out of order sequence number."
        case 46: return "The broker received a duplicate sequence number."
        case 47: return "Producer attempted to produce with an old epoch."
        case 48: return "The producer attempted a transactional operation in an invalid state."
        case 49: return "The producer attempted to use a producer id which is not currently assigned to  its transactional id."
        case 50: return "The transaction timeout is larger than the maximum value allowed by  the broker (as configured by transaction.max.timeout.ms)."
        case 51: return "The producer attempted to update a transaction  while another concurrent operation on the same transaction was ongoing."
        case 52: return "Indicates that the transaction coordinator sending a WriteTxnMarker  is no longer the current coordinator for a given producer."
        case 53: return "Transactional Id authorization failed."
        case 54: return "Security features are disabled."
        case 55: return "The broker did not attempt to execute this operation. This may happen for  batched RPCs where some operations in the batch failed, causing the broker to respond without  trying the rest."
        case 56: return "Disk error when trying to access log file on the disk."
        case 57: return "The user-specified log directory is not found in the broker config."
        case 58: return "SASL Authentication failed."
        case 59: return "This exception is raised by the broker if it could not locate the producer metadata  associated with the producerId in question. This could happen if, for instance, the producer's records  were deleted because their retention time had elapsed. Once the last records of the producerId are  removed, the producer's metadata is removed from the broker, and future appends by the producer will  return this exception."
        case 60: return "A partition reassignment is in progress."
        case 61: return "Delegation Token feature is not enabled."
        case 62: return "Delegation Token is not found on server."
        case 63: return "Specified Principal is not valid Owner/Renewer."
        case 64: return "Delegation Token requests are not allowed on PLAINTEXT/1-way SSL  channels and on delegation token authenticated channels."
        case 65: return "Delegation Token authorization failed."
        case 66: return "Delegation Token is expired."
        case 67: return "Supplied principalType is not supported."
        case 68: return "The group is not empty."
        case 69: return "The group id does not exist."
        case 70: return "The fetch session ID was not found."
        case 71: return "The fetch session epoch is invalid."
        case 72: return "There is no listener on the leader broker that matches the listener on which  metadata request was processed."
        case 73: return "Topic deletion is disabled."
        case 74: return "The leader epoch in the request is older than the epoch on the broker."
        case 75: return "The leader epoch in the request is newer than the epoch on the broker."
        case 76: return "The requesting client does not support the compression type of given partition."
        case 77: return "Broker epoch has changed."
        case 78: return "The leader high watermark has not caught up from a recent leader  election so the offsets cannot be guaranteed to be monotonically increasing."
        case 79: return "The group member needs to have a valid member id before actually entering a consumer group."
        case 80: return "The preferred leader was not available."
        case 81: return "The consumer group has reached its max size."
        case 82: return "The broker rejected this static consumer since  another consumer with the same group.instance.id has registered with a different member.id."
        case 83: return "Eligible topic partition leaders are not available."
        case 84: return "Leader election not needed for topic partition."
        case 85: return "No partition reassignment is in progress."
        case 86: return "Deleting offsets of a topic is forbidden while the consumer group is actively subscribed to it."
        case 87: return "This record has failed the validation on broker and hence will be rejected."
        case 88: return "There are unstable offsets that need to be cleared."
        case 89: return "The throttling quota has been exceeded."
        case 90: return "There is a newer producer with the same transactionalId  which fences the current one."
        case 91: return "A request illegally referred to a resource that does not exist."
        case 92: return "A request illegally referred to the same resource twice."
        case 93: return "Requested credential would not meet criteria for acceptability."
        case 94: return "Indicates that the either the sender or recipient of a  voter-only request is not one of the expected voters."
        case 95: return "The given update version was invalid."
        case 96: return "Unable to update finalized features due to an unexpected server error."
        case 97: return "Request principal deserialization failed during forwarding.  This indicates an internal error on the broker cluster security setup."
        case 98: return "Requested snapshot was not found."
        case 100: return "This server does not host this topic ID."
        case 101: return "This broker ID is already in use."
        case 102: return "The given broker ID was not registered."
        case 103: return "The log's topic ID did not match the topic ID in the request."
        case 104: return "The clusterId in the request does not match that found on the server."
        case 105: return "The transactionalId could not be found."
        case 106: return "The fetch session encountered inconsistent topic ID usage."
        case 107: return "The new ISR contains at least one ineligible replica."
        case 108: return "The AlterPartition request successfully updated the partition state but the leader has changed."
        case 109: return "The requested offset is moved to tiered storage."
        case 110: return "The member epoch is fenced by the group coordinator. The member must abandon all its partitions and rejoin."
        case 111: return "The instance ID is still used by another member in the consumer group. That member must leave first."
        case 112: return "The assignor or its version range is not supported by the consumer group."
        case 113: return "The member epoch is stale. The member must retry after receiving its updated member epoch via the ConsumerGroupHeartbeat API."
        case 114: return "The request was sent to an endpoint of the wrong type."
        case 115: return "This endpoint type is not supported yet."
        case 116: return "This controller ID is not known."
        case 117: return "Client sent a push telemetry request with an invalid or outdated subscription ID."
        case 118: return "Client sent a push telemetry request larger than the maximum size the broker will accept."
        case 119: return "The controller has considered the broker registration to be invalid."
        case 120: return "The server encountered an error with the transaction. The client can abort the transaction to continue using this transactional ID."
        case 121: return "The record state is invalid. The acknowledgement of delivery could not be completed."
        case 122: return "The share session was not found."
        case 123: return "The share session epoch is invalid."
        case 124: return "The share coordinator rejected the request because the share-group state epoch did not match."
        case 125: return "The voter key doesn't match the receiving replica's key."
        case 126: return "The voter is already part of the set of voters."
        case 127: return "The voter is not part of the set of voters."
        case 128: return "The regular expression is not valid."
        default: return ""
        }
    }

    public var description: String { "\(name)(\(rawValue))" }
}
