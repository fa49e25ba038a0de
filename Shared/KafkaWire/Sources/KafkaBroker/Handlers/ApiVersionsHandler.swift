import KafkaProtocol
import NIOCore

// ApiVersions v0-v3. The versions offered come from `Broker.supportedVersions`.
// A request at a version we do not know is answered, not refused: error UNSUPPORTED_VERSION
// and our version list, encoded as v0 (KIP-511), so the client can pick a version it shares.
extension Broker {
    func apiVersions(header: RequestHeader, body: inout ByteBuffer) throws -> ByteBuffer {
        let supported = supportedVersions[.apiVersions] ?? 0...0
        var response = ApiVersionsResponse()
        response.apiKeys = supportedVersions.keys.sorted { $0.rawValue < $1.rawValue }.map { key in
            let range = supportedVersions[key]!
            return ApiVersionsResponse.ApiVersion(apiKey: key.rawValue, minVersion: range.lowerBound, maxVersion: range.upperBound)
        }
        guard supported.contains(header.apiVersion) else {
            response.errorCode = KafkaErrorCode.unsupportedVersion.rawValue
            return try Self.frame(response, correlationID: header.correlationID, apiKey: .apiVersions, version: 0)
        }
        do {
            _ = try ApiVersionsRequest(from: &body, version: header.apiVersion)
        } catch {
            // v3 requests carry client name/version that must be valid; Kafka answers INVALID_REQUEST.
            response.errorCode = KafkaErrorCode.invalidRequest.rawValue
        }
        return try Self.frame(response, correlationID: header.correlationID, apiKey: .apiVersions, version: header.apiVersion)
    }
}
