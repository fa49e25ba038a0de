import KafkaProtocol
import NIOCore

// ListOffsets v0-v9. Special timestamps: -1 latest (log end), -2 earliest (log start),
// -3 the record with the largest timestamp (v7+), -4 earliest local and -5 earliest tiered
// (v8+/v9+; one tier here, so both are the log start). Any other timestamp: the first record
// whose timestamp is at or after it, found through the time index, then by decoding that one
// batch. v0 answers in `oldStyleOffsets`. No transactions, so isolation levels agree.
extension Broker {
    func listOffsets(_ request: ListOffsetsRequest, version: Int16) -> ListOffsetsResponse {
        var response = ListOffsetsResponse()
        response.topics = request.topics.map { wanted in
            let topic = logs.topic(wanted.name)
            return ListOffsetsResponse.ListOffsetsTopicResponse(
                name: wanted.name,
                partitions: wanted.partitions.map { partition in
                    var result = ListOffsetsResponse.ListOffsetsPartitionResponse(partitionIndex: partition.partitionIndex)
                    guard let log = topic?.partition(partition.partitionIndex) else {
                        result.errorCode = KafkaErrorCode.unknownTopicOrPartition.rawValue
                        return result
                    }
                    let (offset, timestamp) = lookUp(log, timestamp: partition.timestamp)
                    if version == 0 {
                        result.oldStyleOffsets = offset >= 0 ? [offset] : []
                    } else {
                        result.offset = offset
                        result.timestamp = timestamp
                        result.leaderEpoch = offset >= 0 ? 0 : -1
                    }
                    return result
                })
        }
        return response
    }

    private func lookUp(_ log: PartitionLog, timestamp: Int64) -> (offset: Int64, timestamp: Int64) {
        switch timestamp {
        case -1: return (log.endOffset, -1)
        case -2, -4, -5: return (log.startOffset, -1)
        case -3:
            guard let batch = log.maxTimestampBatch(), let records = decodedRecords(batch),
                let best = records.max(by: { $0.timestamp < $1.timestamp })
            else { return (-1, -1) }
            return (best.offset, best.timestamp)
        default:
            guard let batch = log.batch(atOrAfter: timestamp), let records = decodedRecords(batch),
                let first = records.first(where: { $0.timestamp >= timestamp })
            else { return (-1, -1) }
            return (first.offset, first.timestamp)
        }
    }

    private func decodedRecords(_ batch: ByteBuffer) -> [Record]? {
        var copy = batch
        do {
            return try RecordBatch.decode(from: &copy, verifyCRC: false).records
        } catch {
            logger.warning("Could not decode a stored batch for ListOffsets", metadata: ["error": "\(error)"])
            return nil
        }
    }
}
