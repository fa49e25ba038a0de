import KafkaProtocol

/// What to do with a batch after its partition's answer (or the request's failure): the
/// Java client's rules for retries and idempotent sequence errors, as a pure function.
enum BatchOutcome: Equatable {
    case acknowledged
    /// Send again (same sequence); `refreshMetadata` when the leader may have moved.
    case retry(refreshMetadata: Bool)
    /// Fail the batch with this error.
    case fail(KafkaError)
    /// A sequence error the broker cannot get past: bump the epoch, then
    /// `retryAfterBump` (the batch was rejected, so it is safe to resend) or fail it.
    case bumpEpoch(retryAfterBump: Bool, KafkaError)
}

enum ProduceErrorPolicy {
    /// Errors after which the partition's leader may have moved.
    static func refreshesMetadata(_ code: KafkaErrorCode) -> Bool {
        switch code {
        case .notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition, .fencedLeaderEpoch,
            .unknownLeaderEpoch, .notEnoughReplicas, .kafkaStorageError, .replicaNotAvailable:
            return true
        default:
            return false
        }
    }

    /// Classifies a partition's error code.
    /// - isNextExpected: the batch's sequence follows the partition's last acknowledged one.
    /// - canRetry: attempts and delivery time remain.
    static func outcome(
        for code: KafkaErrorCode, message: String?, idempotent: Bool, isNextExpected: Bool, canRetry: Bool
    ) -> BatchOutcome {
        if code == .none { return .acknowledged }
        let error = KafkaError(.broker(code), message.map { "\(code.message) (\($0))" } ?? code.message)
        switch code {
        case .duplicateSequenceNumber:
            // The broker already has this batch (a retry of a written one): success.
            return .acknowledged
        case .outOfOrderSequenceNumber where idempotent:
            // Not the next expected batch: an earlier one failed and will be resent first.
            if !isNextExpected { return canRetry ? .retry(refreshMetadata: false) : .fail(error) }
            // The next expected batch out of order: the broker lost our state. Bump the epoch
            // (KIP-360); this batch fails as in the Java client.
            return .bumpEpoch(retryAfterBump: false, error)
        case .unknownProducerId where idempotent:
            // The broker forgot the producer (its records were deleted): a new epoch
            // starts sequences again; the batch was rejected, so resending it is safe.
            return .bumpEpoch(retryAfterBump: canRetry, error)
        case .invalidProducerEpoch, .producerFenced:
            return .fail(KafkaError(.fenced, error.message, retriable: false))
        default:
            if code.isRetriable && canRetry { return .retry(refreshMetadata: refreshesMetadata(code)) }
            return .fail(error)
        }
    }

    /// A request that got no answer (connection closed, timeout): the broker may or may not
    /// have written it. Idempotence makes the retry safe.
    static func outcome(forRequestError error: KafkaError, canRetry: Bool) -> BatchOutcome {
        if error.isRetriable && canRetry { return .retry(refreshMetadata: true) }
        return .fail(error)
    }
}
