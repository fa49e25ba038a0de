// Swift Testing is there for test builds only: `swift build -c release --static-swift-stdlib`
// (the images' build, which compiles every non-test target) has no `Testing` module, and this
// target then compiles to nothing. Only test targets use it.
#if canImport(Testing)
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The fields of an answer whose body is a JSON object.
public func jsonObject(_ response: TestResponse, sourceLocation: SourceLocation = #_sourceLocation) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any], sourceLocation: sourceLocation)
}

/// Checks an RFC 9457 problem answer as every service gives one: the status, the problem
/// content type, `type` = `/problems/<kind>` and the same `status` in the body, `Retry-After` on
/// a 503 (come back, do not give up) and `WWW-Authenticate: Bearer` on a 401. Returns its fields.
@discardableResult
public func expectProblem(
    _ response: TestResponse, _ status: HTTPResponse.Status, _ kind: String, sourceLocation: SourceLocation = #_sourceLocation
) throws -> [String: Any] {
    #expect(response.status == status, sourceLocation: sourceLocation)
    #expect(response.headers[.contentType] == "application/problem+json", sourceLocation: sourceLocation)
    if status == .serviceUnavailable { #expect(response.headers[.retryAfter] != nil, sourceLocation: sourceLocation) }
    if status == .unauthorized { #expect(response.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true, sourceLocation: sourceLocation) }
    let body = try jsonObject(response, sourceLocation: sourceLocation)
    #expect(body["type"] as? String == "/problems/\(kind)", "\(body)", sourceLocation: sourceLocation)
    #expect(body["status"] as? Int == status.code, sourceLocation: sourceLocation)
    return body
}
#endif
