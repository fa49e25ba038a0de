import KafkaProtocol
import NIOCore
import Testing

// Golden bytes derived by hand from Produce*.json, Fetch*.json, ListOffsets*.json and
// InitProducerId*.json. Records fields are opaque bytes here (nullable bytes on the wire).
@Suite struct ProduceFetchGoldenTests {
    @Test func produceRequestV0() throws {
        let message = ProduceRequest(
            acks: -1, timeoutMs: 30000,
            topicData: [.init(name: "t", partitionData: [.init(index: 1, records: bytes([0xab, 0xcd]))])])
        try checkGolden(message, version: 0, """
            ffff         // acks = -1
            00007530     // timeoutMs = 30000
            00000001     // topicData: count 1
            0001 74      //   name "t"
            00000001     //   partitionData: count 1
            00000001     //     index = 1
            00000002 abcd //    records: int32 length 2
            """)
    }

    @Test func produceRequestV11() throws {
        let message = ProduceRequest(
            transactionalId: "x", acks: -1, timeoutMs: 30000,
            topicData: [.init(name: "t", partitionData: [.init(index: 1, records: bytes([0xab, 0xcd]))])])
        try checkGolden(message, version: 11, """
            02 78        // transactionalId "x"
            ffff         // acks = -1
            00007530     // timeoutMs = 30000
            02           // topicData: compact count 1
            02 74        //   name "t"
            02           //   partitionData: compact count 1
            00000001     //     index = 1
            03 abcd      //     records: compact length 2
            00           //     tagged fields: none
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func produceResponseV0() throws {
        let message = ProduceResponse(responses: [
            .init(name: "t", partitionResponses: [.init(index: 1, errorCode: 6, baseOffset: 42)]),
        ])
        try checkGolden(message, version: 0, """
            00000001     // responses: count 1
            0001 74      //   name "t"
            00000001     //   partitionResponses: count 1
            00000001     //     index = 1
            0006         //     errorCode = 6
            000000000000002a // baseOffset = 42
            """)
    }

    @Test func produceResponseV11() throws {
        let message = ProduceResponse(
            responses: [.init(name: "t", partitionResponses: [
                .init(index: 1, errorCode: 6, baseOffset: 42, logAppendTimeMs: 1000, logStartOffset: 5,
                      recordErrors: [.init(batchIndex: 3, batchIndexErrorMessage: "b")],
                      errorMessage: "e", currentLeader: .init(leaderId: 2, leaderEpoch: 7)),
            ])],
            throttleTimeMs: 100,
            nodeEndpoints: [.init(nodeId: 2, host: "h", port: 9092, rack: "r")])
        try checkGolden(message, version: 11, """
            02           // responses: compact count 1
            02 74        //   name "t"
            02           //   partitionResponses: compact count 1
            00000001     //     index = 1
            0006         //     errorCode = 6
            000000000000002a // baseOffset = 42
            00000000000003e8 // logAppendTimeMs = 1000
            0000000000000005 // logStartOffset = 5
            02           //     recordErrors: compact count 1
            00000003     //       batchIndex = 3
            02 62        //       batchIndexErrorMessage "b"
            00           //       tagged fields: none
            02 65        //     errorMessage "e"
            01           //     tagged fields: 1
            00 09        //       tag 0 (currentLeader), 9 bytes
            00000002     //         leaderId = 2
            00000007     //         leaderEpoch = 7
            00           //         tagged fields: none
            00           //   tagged fields: none
            00000064     // throttleTimeMs = 100
            01           // tagged fields: 1
            00 0e        //   tag 0 (nodeEndpoints), 14 bytes
            02           //     compact count 1
            00000002     //       nodeId = 2
            02 68        //       host "h"
            00002384     //       port = 9092
            02 72        //       rack "r"
            00           //       tagged fields: none
            """)
    }

    @Test func fetchRequestV0() throws {
        let message = FetchRequest(
            replicaId: 3, maxWaitMs: 500, minBytes: 1,
            topics: [.init(topic: "t", partitions: [.init(partition: 1, fetchOffset: 100, partitionMaxBytes: 1_048_576)])])
        try checkGolden(message, version: 0, """
            00000003     // replicaId = 3
            000001f4     // maxWaitMs = 500
            00000001     // minBytes = 1
            00000001     // topics: count 1
            0001 74      //   topic "t"
            00000001     //   partitions: count 1
            00000001     //     partition = 1
            0000000000000064 // fetchOffset = 100
            00100000     //     partitionMaxBytes = 1 MiB
            """)
    }

    @Test func fetchRequestV17() throws {
        let message = FetchRequest(
            clusterId: "c",
            replicaState: .init(replicaId: 1, replicaEpoch: 2),
            maxWaitMs: 500, minBytes: 1, maxBytes: 1000, isolationLevel: 1, sessionId: 9, sessionEpoch: 2,
            topics: [.init(topicId: uuidA, partitions: [
                .init(partition: 1, currentLeaderEpoch: 4, fetchOffset: 100, lastFetchedEpoch: 3,
                      logStartOffset: 2, partitionMaxBytes: 1_048_576, replicaDirectoryId: uuidB),
            ])],
            forgottenTopicsData: [.init(topicId: uuidB, partitions: [5])],
            rackId: "r")
        try checkGolden(message, version: 17, """
            000001f4     // maxWaitMs = 500
            00000001     // minBytes = 1
            000003e8     // maxBytes = 1000
            01           // isolationLevel = 1
            00000009     // sessionId = 9
            00000002     // sessionEpoch = 2
            02           // topics: compact count 1
            000102030405060708090a0b0c0d0e0f // topicId
            02           //   partitions: compact count 1
            00000001     //     partition = 1
            00000004     //     currentLeaderEpoch = 4
            0000000000000064 // fetchOffset = 100
            00000003     //     lastFetchedEpoch = 3
            0000000000000002 // logStartOffset = 2
            00100000     //     partitionMaxBytes = 1 MiB
            01           //     tagged fields: 1
            00 10        //       tag 0 (replicaDirectoryId), 16 bytes
            101112131415161718191a1b1c1d1e1f
            00           //   tagged fields: none
            02           // forgottenTopicsData: compact count 1
            101112131415161718191a1b1c1d1e1f // topicId
            02 00000005  //   partitions [5]
            00           //   tagged fields: none
            02 72        // rackId "r"
            02           // tagged fields: 2
            00 02 02 63  //   tag 0 (clusterId), 2 bytes: compact string "c"
            01 0d        //   tag 1 (replicaState), 13 bytes
            00000001     //     replicaId = 1
            0000000000000002 // replicaEpoch = 2
            00           //     tagged fields: none
            """)
    }

    @Test func fetchResponseV0() throws {
        let message = FetchResponse(responses: [
            .init(topic: "t", partitions: [.init(partitionIndex: 1, errorCode: 1, highWatermark: 100, records: bytes([0xab]))]),
        ])
        try checkGolden(message, version: 0, """
            00000001     // responses: count 1
            0001 74      //   topic "t"
            00000001     //   partitions: count 1
            00000001     //     partitionIndex = 1
            0001         //     errorCode = 1
            0000000000000064 // highWatermark = 100
            00000001 ab  //     records: int32 length 1
            """)
    }

    @Test func fetchResponseV17() throws {
        let message = FetchResponse(
            throttleTimeMs: 100, errorCode: 3, sessionId: 9,
            responses: [.init(topicId: uuidA, partitions: [
                .init(partitionIndex: 1, errorCode: 1, highWatermark: 100, lastStableOffset: 90,
                      logStartOffset: 2,
                      divergingEpoch: .init(epoch: 4, endOffset: 50),
                      currentLeader: .init(leaderId: 2, leaderEpoch: 7),
                      snapshotId: .init(endOffset: 60, epoch: 3),
                      abortedTransactions: [.init(producerId: 7, firstOffset: 8)],
                      preferredReadReplica: 2, records: bytes([0xab])),
            ])],
            nodeEndpoints: [.init(nodeId: 2, host: "h", port: 9092, rack: "r")])
        try checkGolden(message, version: 17, """
            00000064     // throttleTimeMs = 100
            0003         // errorCode = 3
            00000009     // sessionId = 9
            02           // responses: compact count 1
            000102030405060708090a0b0c0d0e0f // topicId
            02           //   partitions: compact count 1
            00000001     //     partitionIndex = 1
            0001         //     errorCode = 1
            0000000000000064 // highWatermark = 100
            000000000000005a // lastStableOffset = 90
            0000000000000002 // logStartOffset = 2
            02           //     abortedTransactions: compact count 1
            0000000000000007 // producerId = 7
            0000000000000008 // firstOffset = 8
            00           //       tagged fields: none
            00000002     //     preferredReadReplica = 2
            02 ab        //     records: compact length 1
            03           //     tagged fields: 3
            00 0d        //       tag 0 (divergingEpoch), 13 bytes
            00000004     //         epoch = 4
            0000000000000032 //     endOffset = 50
            00           //         tagged fields: none
            01 09        //       tag 1 (currentLeader), 9 bytes
            00000002     //         leaderId = 2
            00000007     //         leaderEpoch = 7
            00           //         tagged fields: none
            02 0d        //       tag 2 (snapshotId), 13 bytes
            000000000000003c //     endOffset = 60
            00000003     //         epoch = 3
            00           //         tagged fields: none
            00           //   tagged fields: none
            01           // tagged fields: 1
            00 0e        //   tag 0 (nodeEndpoints), 14 bytes
            02           //     compact count 1
            00000002     //       nodeId = 2
            02 68        //       host "h"
            00002384     //       port = 9092
            02 72        //       rack "r"
            00           //       tagged fields: none
            """)
    }

    @Test func listOffsetsRequestV0() throws {
        let message = ListOffsetsRequest(
            replicaId: -1,
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, timestamp: -2, maxNumOffsets: 5)])])
        try checkGolden(message, version: 0, """
            ffffffff     // replicaId = -1
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000001     //   partitions: count 1
            00000001     //     partitionIndex = 1
            fffffffffffffffe // timestamp = -2 (earliest)
            00000005     //     maxNumOffsets = 5
            """)
    }

    @Test func listOffsetsRequestV10() throws {
        let message = ListOffsetsRequest(
            replicaId: -1, isolationLevel: 1,
            topics: [.init(name: "t", partitions: [.init(partitionIndex: 1, currentLeaderEpoch: 4, timestamp: -2)])],
            timeoutMs: 1000)
        try checkGolden(message, version: 10, """
            ffffffff     // replicaId = -1
            01           // isolationLevel = 1
            02           // topics: compact count 1
            02 74        //   name "t"
            02           //   partitions: compact count 1
            00000001     //     partitionIndex = 1
            00000004     //     currentLeaderEpoch = 4
            fffffffffffffffe // timestamp = -2
            00           //     tagged fields: none
            00           //   tagged fields: none
            000003e8     // timeoutMs = 1000
            00           // tagged fields: none
            """)
    }

    @Test func listOffsetsResponseV0() throws {
        let message = ListOffsetsResponse(topics: [
            .init(name: "t", partitions: [.init(partitionIndex: 1, errorCode: 1, oldStyleOffsets: [5, 6])]),
        ])
        try checkGolden(message, version: 0, """
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000001     //   partitions: count 1
            00000001     //     partitionIndex = 1
            0001         //     errorCode = 1
            00000002     //     oldStyleOffsets: count 2
            0000000000000005 // 5
            0000000000000006 // 6
            """)
    }

    @Test func listOffsetsResponseV10() throws {
        let message = ListOffsetsResponse(
            throttleTimeMs: 100,
            topics: [.init(name: "t", partitions: [
                .init(partitionIndex: 1, errorCode: 1, timestamp: 1000, offset: 42, leaderEpoch: 4),
            ])])
        try checkGolden(message, version: 10, """
            00000064     // throttleTimeMs = 100
            02           // topics: compact count 1
            02 74        //   name "t"
            02           //   partitions: compact count 1
            00000001     //     partitionIndex = 1
            0001         //     errorCode = 1
            00000000000003e8 // timestamp = 1000
            000000000000002a // offset = 42
            00000004     //     leaderEpoch = 4
            00           //     tagged fields: none
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func initProducerIdRequestV0() throws {
        let message = InitProducerIdRequest(transactionalId: "x", transactionTimeoutMs: 60000)
        try checkGolden(message, version: 0, """
            0001 78      // transactionalId "x"
            0000ea60     // transactionTimeoutMs = 60000
            """)
    }

    @Test func initProducerIdRequestV5() throws {
        let message = InitProducerIdRequest(
            transactionalId: "x", transactionTimeoutMs: 60000, producerId: 5, producerEpoch: 2)
        try checkGolden(message, version: 5, """
            02 78        // transactionalId "x"
            0000ea60     // transactionTimeoutMs = 60000
            0000000000000005 // producerId = 5
            0002         // producerEpoch = 2
            00           // tagged fields: none
            """)
    }

    @Test func initProducerIdResponseV0() throws {
        let message = InitProducerIdResponse(throttleTimeMs: 100, errorCode: 3, producerId: 5, producerEpoch: 2)
        try checkGolden(message, version: 0, """
            00000064     // throttleTimeMs = 100
            0003         // errorCode = 3
            0000000000000005 // producerId = 5
            0002         // producerEpoch = 2
            """)
    }

    @Test func initProducerIdResponseV5() throws {
        let message = InitProducerIdResponse(throttleTimeMs: 100, errorCode: 3, producerId: 5, producerEpoch: 2)
        try checkGolden(message, version: 5, """
            00000064     // throttleTimeMs = 100
            0003         // errorCode = 3
            0000000000000005 // producerId = 5
            0002         // producerEpoch = 2
            00           // tagged fields: none
            """)
    }

    @Test func nullRecords() throws {
        let message = ProduceRequest(acks: 1, timeoutMs: 0, topicData: [.init(name: "t", partitionData: [.init(index: 0, records: nil)])])
        try checkGolden(message, version: 0, """
            0001 00000000 00000001 0001 74 00000001 00000000
            ffffffff     // records: null
            """)
        try checkGolden(message, version: 9, """
            00 0001 00000000 02 02 74 02 00000000
            00           // records: compact null
            00 00 00
            """)
    }
}
