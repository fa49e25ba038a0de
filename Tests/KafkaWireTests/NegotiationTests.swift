import KafkaProtocol
@testable import KafkaWire
import NIOCore
import Testing

/// Version negotiation as pure decisions: no socket.
@Suite("Negotiation: versions")
struct NegotiationTests {
    @Test func picksTheHighestVersionBothSidesSupport() throws {
        let versions = NegotiatedVersions(brokerRanges: [
            .metadata: 0...8,
            .fetch: 4...99,
            .produce: 12...15,
            APIKey(rawValue: 999): 0...3,
        ])
        #expect(try versions.version(for: .metadata) == 8)
        #expect(try versions.version(for: .fetch) == FetchRequest.validVersions.upperBound)
        #expect(versions.range(for: .fetch) == 4...FetchRequest.validVersions.upperBound)
        // Broker only speaks versions newer than ours: no overlap.
        #expect(!versions.supports(.produce))
        let error = #expect(throws: KafkaError.self) { try versions.version(for: .produce) }
        #expect(error?.code == .unsupportedVersion)
        // Not offered at all, or unknown to us.
        #expect(!versions.supports(.createTopics))
        #expect(!versions.supports(APIKey(rawValue: 999)))
    }

    @Test func clientRangesCanBeNarrowed() throws {
        let versions = NegotiatedVersions(brokerRanges: [.metadata: 0...12]) { $0 == .metadata ? 1...4 : nil }
        #expect(try versions.version(for: .metadata) == 4)
    }

    @Test func acceptsAnAnswerAtTheRequestedVersion() throws {
        let response = ApiVersionsResponse(apiKeys: [
            .init(apiKey: APIKey.apiVersions.rawValue, minVersion: 0, maxVersion: 4),
            .init(apiKey: APIKey.metadata.rawValue, minVersion: 0, maxVersion: 12),
        ])
        let outcome = try ApiVersionsNegotiation.interpret(try encode(response, version: 4), requestedVersion: 4)
        guard case .negotiated(let versions) = outcome else {
            Issue.record("expected negotiated, got \(outcome)")
            return
        }
        #expect(try versions.version(for: .metadata) == 12)
        #expect(versions.brokerRanges.count == 2)
    }

    @Test func oldBrokerRefusalRetriesAtItsHighestApiVersionsVersion() throws {
        // A broker that knows ApiVersions up to v2 answers v4 with UNSUPPORTED_VERSION in a v0 body.
        let refusal = ApiVersionsResponse(errorCode: KafkaErrorCode.unsupportedVersion.rawValue, apiKeys: [
            .init(apiKey: APIKey.apiVersions.rawValue, minVersion: 0, maxVersion: 2),
        ])
        let outcome = try ApiVersionsNegotiation.interpret(try encode(refusal, version: 0), requestedVersion: 4)
        #expect(outcome == .retry(version: 2))
    }

    @Test func newerBrokerRefusalRetriesAtOurHighest() throws {
        // Offers more than we know (v9): retry at ours only if lower than what was refused.
        let refusal = ApiVersionsResponse(errorCode: KafkaErrorCode.unsupportedVersion.rawValue, apiKeys: [
            .init(apiKey: APIKey.apiVersions.rawValue, minVersion: 0, maxVersion: 9),
        ])
        #expect(throws: KafkaError.self) {
            try ApiVersionsNegotiation.interpret(try encode(refusal, version: 0), requestedVersion: ApiVersionsRequest.validVersions.upperBound)
        }
        #expect(try ApiVersionsNegotiation.interpret(try encode(refusal, version: 0), requestedVersion: 99) == .retry(version: 4))
    }

    @Test func refusalWithoutARangeFallsBackToV0() throws {
        let refusal = ApiVersionsResponse(errorCode: KafkaErrorCode.unsupportedVersion.rawValue, apiKeys: [])
        #expect(try ApiVersionsNegotiation.interpret(try encode(refusal, version: 0), requestedVersion: 4) == .retry(version: 0))
        let error = #expect(throws: KafkaError.self) {
            try ApiVersionsNegotiation.interpret(try encode(refusal, version: 0), requestedVersion: 0)
        }
        #expect(error?.code == .unsupportedVersion)
    }

    @Test func otherBrokerErrorsAreThrown() throws {
        let refusal = ApiVersionsResponse(errorCode: KafkaErrorCode.invalidRequest.rawValue)
        let error = #expect(throws: KafkaError.self) {
            try ApiVersionsNegotiation.interpret(try encode(refusal, version: 3), requestedVersion: 3)
        }
        #expect(error?.code == .broker(.invalidRequest))
    }

    @Test func garbageIsAProtocolViolation() throws {
        let error = #expect(throws: KafkaError.self) {
            try ApiVersionsNegotiation.interpret(ByteBuffer(bytes: [0, 0, 0xFF]), requestedVersion: 4)
        }
        #expect(error?.code == .protocolViolation)
    }

    private func encode(_ response: ApiVersionsResponse, version: Int16) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        try response.encode(to: &buffer, version: version)
        return buffer
    }
}
