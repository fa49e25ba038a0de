import KafkaProtocol
import NIOCore
import Testing

@Suite struct HeaderTests {
    @Test func requestHeaderV1Golden() throws {
        // Metadata v1 is not flexible: header v1.
        let header = RequestHeader(apiKey: .metadata, apiVersion: 1, correlationID: 7, clientID: "c")
        #expect(RequestHeader.headerVersion(apiKey: .metadata, apiVersion: 1) == 1)
        var out = ByteBuffer()
        header.encode(to: &out)
        let expected = hex("""
            0003         // apiKey = 3 (Metadata)
            0001         // apiVersion = 1
            00000007     // correlationId = 7
            0001 63      // clientId: classic nullable string "c"
            """)
        #expect(hexString(out) == hexString(expected))
        var input = expected
        #expect(try RequestHeader(from: &input) == header)
        #expect(input.readableBytes == 0)
    }

    @Test func requestHeaderV2Golden() throws {
        // Metadata v12 is flexible: header v2, client id still a classic string, then tags.
        let header = RequestHeader(apiKey: .metadata, apiVersion: 12, correlationID: 7, clientID: "c")
        #expect(RequestHeader.headerVersion(apiKey: .metadata, apiVersion: 12) == 2)
        var out = ByteBuffer()
        header.encode(to: &out)
        let expected = hex("""
            0003         // apiKey = 3 (Metadata)
            000c         // apiVersion = 12
            00000007     // correlationId = 7
            0001 63      // clientId: classic nullable string "c"
            00           // tagged fields: none
            """)
        #expect(hexString(out) == hexString(expected))
        var input = expected
        #expect(try RequestHeader(from: &input) == header)
        #expect(input.readableBytes == 0)
    }

    @Test func requestHeaderNullClientID() throws {
        let header = RequestHeader(apiKey: .produce, apiVersion: 3, correlationID: 1, clientID: nil)
        var out = ByteBuffer()
        header.encode(to: &out)
        #expect(hexString(out) == "0000" + "0003" + "00000001" + "ffff")
    }

    @Test func controlledShutdownV0UsesHeaderV0() {
        #expect(RequestHeader.headerVersion(apiKey: .controlledShutdown, apiVersion: 0) == 0)
        let header = RequestHeader(apiKey: .controlledShutdown, apiVersion: 0, correlationID: 7, clientID: "c")
        var out = ByteBuffer()
        header.encode(to: &out)
        #expect(hexString(out) == "0007" + "0000" + "00000007")
    }

    @Test func apiVersionsResponseHeaderIsAlwaysV0() throws {
        #expect(APIKey.apiVersions.isFlexible(3))
        for version: Int16 in 0...4 {
            #expect(ResponseHeader.headerVersion(apiKey: .apiVersions, apiVersion: version) == 0)
            var out = ByteBuffer()
            ResponseHeader(correlationID: 7).encode(to: &out, apiKey: .apiVersions, apiVersion: version)
            #expect(hexString(out) == "00000007")  // no tagged-field section, even in v3+
            var input = out
            let decoded = try ResponseHeader(from: &input, apiKey: .apiVersions, apiVersion: version)
            #expect(decoded.correlationID == 7)
            #expect(input.readableBytes == 0)
        }
        // Other flexible responses do get header v1 with its tag section.
        var out = ByteBuffer()
        ResponseHeader(correlationID: 7).encode(to: &out, apiKey: .metadata, apiVersion: 12)
        #expect(hexString(out) == "00000007" + "00")
    }
}

@Suite struct TaggedFieldTests {
    @Test func unknownTopLevelTagSurvives() throws {
        // HeartbeatResponse v4 with an unknown tag 5 carrying 3 bytes.
        let decoded = try checkRoundTrip(HeartbeatResponse.self, version: 4, """
            00000064     // throttleTimeMs = 100
            001b         // errorCode = 27
            01           // tagged fields: 1
            05 03 616263 //   tag 5, 3 bytes
            """)
        #expect(decoded.errorCode == 27)
        #expect(decoded.unknownTaggedFields == [UnknownTaggedField(tag: 5, data: bytes([0x61, 0x62, 0x63]))])
    }

    @Test func unknownTagsMergeWithKnownInOrder() throws {
        // ApiVersionsResponse v3: known tags 1 and 3, unknown tags 4 and 9; the unknown ones are
        // kept and written back merged in tag order.
        let decoded = try checkRoundTrip(ApiVersionsResponse.self, version: 3, """
            0000         // errorCode = 0
            01           // apiKeys: empty compact array
            00000000     // throttleTimeMs = 0
            04           // tagged fields: 4
            01 08 0000000000000009 // tag 1 (finalizedFeaturesEpoch) = 9
            03 01 01     //   tag 3 (zkMigrationReady) = true
            04 01 ff     //   tag 4, unknown
            09 00        //   tag 9, unknown, empty
            """)
        #expect(decoded.finalizedFeaturesEpoch == 9)
        #expect(decoded.zkMigrationReady)
        #expect(decoded.unknownTaggedFields.map(\.tag) == [4, 9])
    }

    @Test func unknownNestedTagSurvives() throws {
        // FetchResponse v12: an unknown tag 7 inside a partition, next to known tag 1,
        // and an unknown tag 3 inside a topic-level struct.
        let decoded = try checkRoundTrip(FetchResponse.self, version: 12, """
            00000000     // throttleTimeMs
            0000         // errorCode
            00000000     // sessionId
            02           // responses: compact count 1
            02 74        //   topic "t" (v12 still has names)
            02           //   partitions: compact count 1
            00000001     //     partitionIndex = 1
            0000         //     errorCode
            0000000000000000 // highWatermark
            ffffffffffffffff // lastStableOffset = -1
            ffffffffffffffff // logStartOffset = -1
            00           //     abortedTransactions: null
            ffffffff     //     preferredReadReplica = -1
            00           //     records: null
            02           //     tagged fields: 2
            01 09 00000002 00000007 00 // tag 1 (currentLeader) 2/7
            07 02 beef   //       tag 7, unknown
            01           //   tagged fields: 1
            03 01 aa     //     tag 3, unknown
            00           // tagged fields: none
            """)
        let topic = try #require(decoded.responses.first)
        #expect(topic.unknownTaggedFields == [UnknownTaggedField(tag: 3, data: bytes([0xaa]))])
        let partition = try #require(topic.partitions.first)
        #expect(partition.currentLeader == .init(leaderId: 2, leaderEpoch: 7))
        #expect(partition.abortedTransactions == nil)
        #expect(partition.records == nil)
        #expect(partition.unknownTaggedFields == [UnknownTaggedField(tag: 7, data: bytes([0xbe, 0xef]))])
    }

    @Test func taggedFieldAtDefaultIsNotWritten() throws {
        var out = ByteBuffer()
        try ApiVersionsResponse(finalizedFeaturesEpoch: -1, zkMigrationReady: false).encode(to: &out, version: 3)
        #expect(hexString(out) == "0000" + "01" + "00000000" + "00")
    }

    @Test func outOfOrderTagsAreRejected() {
        var input = hex("00000064 001b 02 05 00 04 00")
        #expect(throws: ProtocolError.self) { try HeartbeatResponse(from: &input, version: 4) }
    }
}

@Suite struct RobustnessTests {
    func expectCode(_ code: ProtocolError.Code, _ body: () throws -> Void) {
        do {
            try body()
            Issue.record("expected ProtocolError \(code)")
        } catch let error as ProtocolError {
            #expect(error.code == code)
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func unsupportedVersionsThrow() {
        var out = ByteBuffer()
        expectCode(.unsupportedVersion) { try ProduceRequest().encode(to: &out, version: 12) }
        expectCode(.unsupportedVersion) { try ProduceRequest().encode(to: &out, version: -1) }
        expectCode(.unsupportedVersion) { try FetchResponse().encode(to: &out, version: 18) }
        expectCode(.unsupportedVersion) { try ConsumerProtocolAssignment().encode(to: &out, version: 4) }
        expectCode(.unsupportedVersion) {
            var input = hex("0000")
            _ = try HeartbeatResponse(from: &input, version: 5)
        }
        expectCode(.unsupportedVersion) {
            var input = ByteBuffer()
            _ = try ApiVersionsRequest(from: &input, version: 5)
        }
    }

    @Test func nullInNonNullableFieldThrows() {
        var out = ByteBuffer()
        // MetadataRequestTopic.name is nullable only from v10.
        expectCode(.invalidValue) {
            try MetadataRequest(topics: [.init(name: nil)]).encode(to: &out, version: 9)
        }
        // OffsetFetchRequest.topics is nullable in v2-v7 only.
        expectCode(.invalidValue) { try OffsetFetchRequest(groupId: "g", topics: nil).encode(to: &out, version: 1) }
        expectCode(.invalidValue) { try JoinGroupResponse(protocolName: nil).encode(to: &out, version: 6) }
    }

    @Test func nullInNonNullableFieldIsRejectedOnDecode() {
        // SaslHandshakeRequest mechanism is not nullable: length -1 is an error.
        expectCode(.invalidLength) {
            var input = hex("ffff")
            _ = try SaslHandshakeRequest(from: &input, version: 1)
        }
        // A null (compact 0) array where the array is not nullable.
        expectCode(.invalidLength) {
            var input = hex("00000064 00")  // throttleTimeMs, groups: null
            _ = try DescribeGroupsResponse(from: &input, version: 5)
        }
    }

    @Test func hostileArrayCountThrows() {
        expectCode(.invalidLength) {
            var input = hex("7fffffff")  // 2^31 - 1 topics in 0 bytes
            _ = try MetadataRequest(from: &input, version: 0)
        }
        expectCode(.invalidLength) {
            var input = hex("00000064 0000 ffffffff0f")  // throttle, errorCode, huge compact count
            _ = try LeaveGroupResponse(from: &input, version: 5)
        }
    }

    @Test func invalidUTF8Throws() {
        expectCode(.invalidUTF8) {
            var input = hex("0002 c328")
            _ = try SaslHandshakeRequest(from: &input, version: 0)
        }
    }

    @Test func truncatedAtEveryLengthThrows() {
        // A big nested message: every prefix must fail with a ProtocolError, never crash.
        let message = FetchResponse(
            throttleTimeMs: 1, responses: [.init(topicId: uuidA, partitions: [
                .init(partitionIndex: 1, divergingEpoch: .init(epoch: 1, endOffset: 2),
                      abortedTransactions: [.init(producerId: 1, firstOffset: 2)], records: bytes([1, 2, 3])),
            ])],
            nodeEndpoints: [.init(nodeId: 1, host: "h", port: 1)])
        for version: Int16 in [4, 11, 12, 16, 17] {
            var full = ByteBuffer()
            #expect(throws: Never.self) { try message.encode(to: &full, version: version) }
            for length in 0..<full.readableBytes {
                var prefix = full.getSlice(at: 0, length: length)!
                #expect(throws: ProtocolError.self) { _ = try FetchResponse(from: &prefix, version: version) }
            }
        }
    }

    @Test func defaultsFromDefinitions() {
        #expect(FetchRequest().maxBytes == 0x7fff_ffff)
        #expect(FetchRequest().replicaId == -1)
        #expect(FetchRequest().rackId == "")
        #expect(MetadataRequest().allowAutoTopicCreation == true)
        #expect(MetadataResponse.MetadataResponseTopic().topicAuthorizedOperations == -2_147_483_648)
        #expect(CreateTopicsRequest().timeoutMs == 60000)
        #expect(ProduceRequest().transactionalId == nil)
        #expect(ListOffsetsRequest.ListOffsetsPartition().maxNumOffsets == 1)
        #expect(ConsumerProtocolSubscription().userData == nil)
        #expect(DeleteTopicsResponse.DeletableTopicResult().topicId == .zero)
    }

    @Test func staticMetadata() {
        #expect(ProduceRequest.apiKey == .produce)
        #expect(ProduceResponse.apiKey == .produce)
        #expect(ProduceRequest.validVersions == 0...11)
        #expect(ProduceRequest.firstFlexibleVersion == 9)
        #expect(ConsumerProtocolSubscription.firstFlexibleVersion == nil)
        #expect(ProduceRequest.isFlexible(9) && !ProduceRequest.isFlexible(8))
        #expect(ApiVersionsRequest.Response.self == ApiVersionsResponse.self)
    }
}

@Suite struct APIKeyAndErrorCodeTests {
    @Test func apiKeys() {
        #expect(APIKey.produce.rawValue == 0)
        #expect(APIKey.fetch.rawValue == 1)
        #expect(APIKey.apiVersions.rawValue == 18)
        #expect(APIKey.controlledShutdown.rawValue == 7)
        #expect(APIKey.initProducerId.rawValue == 22)
        #expect(APIKey.saslHandshake.rawValue == 17)
        #expect(APIKey.saslAuthenticate.rawValue == 36)
        #expect(APIKey.produce.name == "Produce")
        #expect(APIKey.apiVersions.description == "ApiVersions")
        #expect(APIKey.produce.isKnown)
        #expect(APIKey.produce.definedVersions == 0...11)
        #expect(APIKey.produce.isFlexible(9))
        #expect(!APIKey.produce.isFlexible(8))
        #expect(!APIKey.saslHandshake.isFlexible(1))
        let unknown = APIKey(rawValue: 9999)
        #expect(!unknown.isKnown)
        #expect(unknown.definedVersions == nil)
        #expect(!unknown.isFlexible(100))
        #expect(APIKey.allKnown.count > 60)
    }

    @Test func errorCodes() {
        #expect(KafkaErrorCode.none.rawValue == 0)
        #expect(KafkaErrorCode.none.name == "NONE")
        #expect(KafkaErrorCode.unknownServerError.rawValue == -1)
        #expect(KafkaErrorCode.unknownTopicOrPartition.rawValue == 3)
        #expect(KafkaErrorCode.unknownTopicOrPartition.name == "UNKNOWN_TOPIC_OR_PARTITION")
        #expect(KafkaErrorCode.unknownTopicOrPartition.isRetriable)
        #expect(!KafkaErrorCode.unsupportedVersion.isRetriable)
        #expect(KafkaErrorCode.corruptMessage.message.hasPrefix("This message has failed its CRC checksum"))
        let unknown = KafkaErrorCode(rawValue: 30000)
        #expect(unknown.rawValue == 30000)
        #expect(!unknown.isRetriable)
        #expect(unknown.message == "")
        let error: any Error = KafkaErrorCode.notCoordinator
        #expect(error as? KafkaErrorCode == .notCoordinator)
    }
}
