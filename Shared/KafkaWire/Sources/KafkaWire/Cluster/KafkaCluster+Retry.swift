import KafkaProtocol
import Logging

extension KafkaCluster {
    /// Runs `body` until it succeeds, fails with an error that is not retriable, or fails
    /// `attempts` times; waits retryBackoff, doubling up to 1 s, between attempts. Leader and
    /// coordinator errors also drop the cached metadata, since the answer is likely stale.
    public func retrying<T: Sendable>(
        _ operation: String, attempts: Int = 5, _ body: () async throws -> T
    ) async throws -> T {
        var attempt = 1
        var delay = configuration.retryBackoff
        while true {
            do {
                return try await body()
            } catch let error as KafkaError {
                guard error.isRetriable, attempt < attempts else { throw error }
                if Self.isStaleMetadata(error) { invalidateMetadata() }
                logger.debug("Retrying", metadata: ["kafka.operation": "\(operation)", "kafka.attempt": "\(attempt)", "error": "\(error)"])
            } catch is CancellationError {
                throw KafkaError(.cancelled, "\(operation) cancelled")
            }
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw KafkaError(.cancelled, "\(operation) cancelled")
            }
            delay = min(delay * 2, .seconds(1))
            attempt += 1
        }
    }

    static func isStaleMetadata(_ error: KafkaError) -> Bool {
        switch error.code.brokerCode {
        case .notLeaderOrFollower, .leaderNotAvailable, .unknownTopicOrPartition, .notController, .fencedLeaderEpoch,
             .unknownLeaderEpoch:
            return true
        default:
            return error.code == .connectionClosed || error.code == .connectionFailed
        }
    }
}
