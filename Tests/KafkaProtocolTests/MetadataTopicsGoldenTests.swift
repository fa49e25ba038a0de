import KafkaProtocol
import NIOCore
import Testing

// Golden bytes derived by hand from Metadata*.json, CreateTopics*.json, DeleteTopics*.json,
// DescribeConfigs*.json. uuidA is 000102..0f, uuidB is 101112..1f.
@Suite struct MetadataTopicsGoldenTests {
    @Test func metadataRequestV0() throws {
        let message = MetadataRequest(topics: [.init(name: "t")])
        try checkGolden(message, version: 0, """
            00000001     // topics: int32 count 1
            0001 74      //   name "t"
            """)
    }

    @Test func metadataRequestV12() throws {
        let message = MetadataRequest(
            topics: [.init(topicId: uuidA, name: "t")],
            allowAutoTopicCreation: false,
            includeTopicAuthorizedOperations: true)
        try checkGolden(message, version: 12, """
            02                               // topics: compact count 1
            000102030405060708090a0b0c0d0e0f //   topicId
            02 74                            //   name: compact nullable "t"
            00                               //   tagged fields: none
            00                               // allowAutoTopicCreation = false (default true)
            01                               // includeTopicAuthorizedOperations = true
            00                               // tagged fields: none
            """)
    }

    @Test func metadataRequestNullTopics() throws {
        // Null topics means "all topics" from v1 on; classic null array is int32 -1,
        // compact null is varint 0.
        let message = MetadataRequest(topics: nil)
        try checkGolden(message, version: 1, "ffffffff")
        try checkGolden(message, version: 12, "00 01 00 00")
        var out = ByteBuffer()
        #expect(throws: ProtocolError.self) { try message.encode(to: &out, version: 0) }
        do {
            try message.encode(to: &out, version: 0)
        } catch let error as ProtocolError {
            #expect(error.code == .invalidValue)
        }
    }

    @Test func metadataResponseV0() throws {
        let message = MetadataResponse(
            brokers: [.init(nodeId: 1, host: "h", port: 9092)],
            topics: [.init(errorCode: 3, name: "t", partitions: [
                .init(errorCode: 9, partitionIndex: 2, leaderId: 1, replicaNodes: [1, 2], isrNodes: [1]),
            ])])
        try checkGolden(message, version: 0, """
            00000001     // brokers: count 1
            00000001     //   nodeId = 1
            0001 68      //   host "h"
            00002384     //   port = 9092
            00000001     // topics: count 1
            0003         //   errorCode = 3
            0001 74      //   name "t"
            00000001     //   partitions: count 1
            0009         //     errorCode = 9
            00000002     //     partitionIndex = 2
            00000001     //     leaderId = 1
            00000002 00000001 00000002 // replicaNodes [1, 2]
            00000001 00000001          // isrNodes [1]
            """)
    }

    @Test func metadataResponseV12() throws {
        let message = MetadataResponse(
            throttleTimeMs: 100,
            brokers: [.init(nodeId: 1, host: "h", port: 9092, rack: "r")],
            clusterId: "c",
            controllerId: 1,
            topics: [.init(errorCode: 3, name: "t", topicId: uuidA, isInternal: true, partitions: [
                .init(errorCode: 9, partitionIndex: 2, leaderId: 1, leaderEpoch: 5,
                      replicaNodes: [1, 2], isrNodes: [1], offlineReplicas: [2]),
            ], topicAuthorizedOperations: 8)])
        try checkGolden(message, version: 12, """
            00000064     // throttleTimeMs = 100
            02           // brokers: compact count 1
            00000001     //   nodeId = 1
            02 68        //   host "h"
            00002384     //   port = 9092
            02 72        //   rack "r"
            00           //   tagged fields: none
            02 63        // clusterId "c"
            00000001     // controllerId = 1
            02           // topics: compact count 1
            0003         //   errorCode = 3
            02 74        //   name "t"
            000102030405060708090a0b0c0d0e0f // topicId
            01           //   isInternal = true
            02           //   partitions: compact count 1
            0009         //     errorCode = 9
            00000002     //     partitionIndex = 2
            00000001     //     leaderId = 1
            00000005     //     leaderEpoch = 5
            03 00000001 00000002 // replicaNodes [1, 2]
            02 00000001          // isrNodes [1]
            02 00000002          // offlineReplicas [2]
            00           //     tagged fields: none
            00000008     //   topicAuthorizedOperations = 8
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func createTopicsRequestV0() throws {
        let message = CreateTopicsRequest(
            topics: [.init(name: "t", numPartitions: 3, replicationFactor: 2,
                           assignments: [.init(partitionIndex: 1, brokerIds: [1, 2])],
                           configs: [.init(name: "k", value: "v")])],
            timeoutMs: 5000)
        try checkGolden(message, version: 0, """
            00000001     // topics: count 1
            0001 74      //   name "t"
            00000003     //   numPartitions = 3
            0002         //   replicationFactor = 2
            00000001     //   assignments: count 1
            00000001     //     partitionIndex = 1
            00000002 00000001 00000002 // brokerIds [1, 2]
            00000001     //   configs: count 1
            0001 6b      //     name "k"
            0001 76      //     value "v"
            00001388     // timeoutMs = 5000
            """)
    }

    @Test func createTopicsRequestV7() throws {
        let message = CreateTopicsRequest(
            topics: [.init(name: "t", numPartitions: 3, replicationFactor: 2,
                           assignments: [.init(partitionIndex: 1, brokerIds: [1, 2])],
                           configs: [.init(name: "k", value: "v")])],
            timeoutMs: 5000, validateOnly: true)
        try checkGolden(message, version: 7, """
            02           // topics: compact count 1
            02 74        //   name "t"
            00000003     //   numPartitions = 3
            0002         //   replicationFactor = 2
            02           //   assignments: compact count 1
            00000001     //     partitionIndex = 1
            03 00000001 00000002 // brokerIds [1, 2]
            00           //     tagged fields: none
            02           //   configs: compact count 1
            02 6b        //     name "k"
            02 76        //     value "v"
            00           //     tagged fields: none
            00           //   tagged fields: none
            00001388     // timeoutMs = 5000
            01           // validateOnly = true
            00           // tagged fields: none
            """)
    }

    @Test func createTopicsResponseV0() throws {
        let message = CreateTopicsResponse(topics: [.init(name: "t", errorCode: 36)])
        try checkGolden(message, version: 0, """
            00000001     // topics: count 1
            0001 74      //   name "t"
            0024         //   errorCode = 36
            """)
    }

    @Test func createTopicsResponseV7() throws {
        let message = CreateTopicsResponse(
            throttleTimeMs: 100,
            topics: [.init(name: "t", topicId: uuidA, errorCode: 36, errorMessage: "e",
                           topicConfigErrorCode: 7, numPartitions: 3, replicationFactor: 2,
                           configs: [.init(name: "k", value: "v", readOnly: true, configSource: 5, isSensitive: true)])])
        try checkGolden(message, version: 7, """
            00000064     // throttleTimeMs = 100
            02           // topics: compact count 1
            02 74        //   name "t"
            000102030405060708090a0b0c0d0e0f // topicId
            0024         //   errorCode = 36
            02 65        //   errorMessage "e"
            00000003     //   numPartitions = 3
            0002         //   replicationFactor = 2
            02           //   configs: compact nullable count 1
            02 6b        //     name "k"
            02 76        //     value "v"
            01           //     readOnly = true
            05           //     configSource = 5
            01           //     isSensitive = true
            00           //     tagged fields: none
            01           //   tagged fields: 1
            00 02 0007   //     tag 0 (topicConfigErrorCode), 2 bytes, = 7
            00           // tagged fields: none
            """)
    }

    @Test func deleteTopicsRequestV0() throws {
        let message = DeleteTopicsRequest(topicNames: ["t"], timeoutMs: 5000)
        try checkGolden(message, version: 0, """
            00000001 0001 74 // topicNames ["t"]
            00001388         // timeoutMs = 5000
            """)
    }

    @Test func deleteTopicsRequestV6() throws {
        let message = DeleteTopicsRequest(topics: [.init(name: "t", topicId: uuidA)], timeoutMs: 5000)
        try checkGolden(message, version: 6, """
            02           // topics: compact count 1
            02 74        //   name "t"
            000102030405060708090a0b0c0d0e0f // topicId
            00           //   tagged fields: none
            00001388     // timeoutMs = 5000
            00           // tagged fields: none
            """)
    }

    @Test func deleteTopicsResponseV0() throws {
        let message = DeleteTopicsResponse(responses: [.init(name: "t", errorCode: 3)])
        try checkGolden(message, version: 0, """
            00000001     // responses: count 1
            0001 74      //   name "t"
            0003         //   errorCode = 3
            """)
    }

    @Test func deleteTopicsResponseV6() throws {
        let message = DeleteTopicsResponse(
            throttleTimeMs: 100,
            responses: [.init(name: "t", topicId: uuidA, errorCode: 3, errorMessage: "e")])
        try checkGolden(message, version: 6, """
            00000064     // throttleTimeMs = 100
            02           // responses: compact count 1
            02 74        //   name "t"
            000102030405060708090a0b0c0d0e0f // topicId
            0003         //   errorCode = 3
            02 65        //   errorMessage "e"
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }

    @Test func describeConfigsRequestV0() throws {
        let message = DescribeConfigsRequest(
            resources: [.init(resourceType: 2, resourceName: "t", configurationKeys: ["k"])])
        try checkGolden(message, version: 0, """
            00000001     // resources: count 1
            02           //   resourceType = 2
            0001 74      //   resourceName "t"
            00000001 0001 6b // configurationKeys ["k"]
            """)
    }

    @Test func describeConfigsRequestV4() throws {
        let message = DescribeConfigsRequest(
            resources: [.init(resourceType: 2, resourceName: "t", configurationKeys: ["k"])],
            includeSynonyms: true, includeDocumentation: true)
        try checkGolden(message, version: 4, """
            02           // resources: compact count 1
            02           //   resourceType = 2
            02 74        //   resourceName "t"
            02 02 6b     //   configurationKeys ["k"]
            00           //   tagged fields: none
            01           // includeSynonyms = true
            01           // includeDocumentation = true
            00           // tagged fields: none
            """)
    }

    @Test func describeConfigsResponseV0() throws {
        let message = DescribeConfigsResponse(
            throttleTimeMs: 100,
            results: [.init(errorCode: 1, errorMessage: "e", resourceType: 2, resourceName: "t",
                            configs: [.init(name: "k", value: "v", readOnly: true, isDefault: true, isSensitive: true)])])
        try checkGolden(message, version: 0, """
            00000064     // throttleTimeMs = 100
            00000001     // results: count 1
            0001         //   errorCode = 1
            0001 65      //   errorMessage "e"
            02           //   resourceType = 2
            0001 74      //   resourceName "t"
            00000001     //   configs: count 1
            0001 6b      //     name "k"
            0001 76      //     value "v"
            01           //     readOnly = true
            01           //     isDefault = true
            01           //     isSensitive = true
            """)
    }

    @Test func describeConfigsResponseV4() throws {
        let message = DescribeConfigsResponse(
            throttleTimeMs: 100,
            results: [.init(errorCode: 1, errorMessage: "e", resourceType: 2, resourceName: "t",
                            configs: [.init(name: "k", value: "v", readOnly: true, configSource: 5,
                                            isSensitive: true,
                                            synonyms: [.init(name: "k", value: "v", source: 4)],
                                            configType: 3, documentation: "d")])])
        try checkGolden(message, version: 4, """
            00000064     // throttleTimeMs = 100
            02           // results: compact count 1
            0001         //   errorCode = 1
            02 65        //   errorMessage "e"
            02           //   resourceType = 2
            02 74        //   resourceName "t"
            02           //   configs: compact count 1
            02 6b        //     name "k"
            02 76        //     value "v"
            01           //     readOnly = true
            05           //     configSource = 5
            01           //     isSensitive = true
            02           //     synonyms: compact count 1
            02 6b        //       name "k"
            02 76        //       value "v"
            04           //       source = 4
            00           //       tagged fields: none
            03           //     configType = 3
            02 64        //     documentation "d"
            00           //     tagged fields: none
            00           //   tagged fields: none
            00           // tagged fields: none
            """)
    }
}
