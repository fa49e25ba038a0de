import KafkaProtocol
import NIOCore

/// The ApiVersions exchange at connect time (KIP-35, KIP-511), as pure decisions.
///
/// The client sends its highest ApiVersions version. A broker that does not know it answers
/// UNSUPPORTED_VERSION with a v0 body listing its own ApiVersions range; the client retries at
/// the highest version both know. Any other answer gives the broker's ranges for every API.
enum ApiVersionsNegotiation {
    enum Outcome: Equatable {
        case negotiated(NegotiatedVersions)
        /// Ask again at this version.
        case retry(version: Int16)
    }

    static let clientSoftwareName = "kafkawire"
    static let clientSoftwareVersion = "0.1.0"
    static var firstVersion: Int16 { ApiVersionsRequest.validVersions.upperBound }

    static func request() -> ApiVersionsRequest {
        ApiVersionsRequest(clientSoftwareName: clientSoftwareName, clientSoftwareVersion: clientSoftwareVersion)
    }

    /// Interprets an ApiVersions response body (after the correlation id; its header is always v0).
    static func interpret(_ body: ByteBuffer, requestedVersion: Int16) throws(KafkaError) -> Outcome {
        guard let rawError = body.getInteger(at: body.readerIndex, as: Int16.self) else {
            throw KafkaError(.protocolViolation, "empty ApiVersions response")
        }
        let error = KafkaErrorCode(rawValue: rawError)
        if error == .unsupportedVersion {
            // The body is v0 whatever we asked for, so old brokers can tell us their range.
            let response = try decode(body, version: 0)
            guard let theirs = response.apiKeys.first(where: { $0.apiKey == APIKey.apiVersions.rawValue }) else {
                // No range offered: every broker knows v0, as Kafka's clients assume.
                guard requestedVersion > 0 else {
                    throw KafkaError(.unsupportedVersion, "broker refused ApiVersions v0")
                }
                return .retry(version: 0)
            }
            let next = min(theirs.maxVersion, ApiVersionsRequest.validVersions.upperBound)
            guard next < requestedVersion, next >= max(theirs.minVersion, ApiVersionsRequest.validVersions.lowerBound) else {
                throw KafkaError(.unsupportedVersion,
                                 "broker offers ApiVersions \(theirs.minVersion)...\(theirs.maxVersion), refused v\(requestedVersion)")
            }
            return .retry(version: next)
        }
        if let failure = KafkaError(brokerCode: rawError, "ApiVersions v\(requestedVersion)") { throw failure }
        let response = try decode(body, version: requestedVersion)
        var ranges: [APIKey: ClosedRange<Int16>] = [:]
        for api in response.apiKeys where api.minVersion <= api.maxVersion {
            ranges[APIKey(rawValue: api.apiKey)] = api.minVersion...api.maxVersion
        }
        return .negotiated(NegotiatedVersions(brokerRanges: ranges))
    }

    private static func decode(_ body: ByteBuffer, version: Int16) throws(KafkaError) -> ApiVersionsResponse {
        var body = body
        do {
            return try ApiVersionsResponse(from: &body, version: version)
        } catch {
            throw KafkaError(.protocolViolation, "ApiVersions v\(version) response: \(error)")
        }
    }
}
