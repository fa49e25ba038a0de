import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceHTTP

/// An RFC 9457 problem: `type` = `/problems/<kind>`, one stable kind per way a command can
/// fail, so clients branch on `type`, never on prose.
public struct Problem: Error, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case validation
        case forbidden
        case orderNotFound = "order-not-found"
        case versionConflict = "version-conflict"
        case writeConflict = "write-conflict"
        case ruleViolated = "rule-violated"
        case idempotencyKeyReuse = "idempotency-key-reuse"
        case unavailable
        case outcomeUnknown = "outcome-unknown"
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"

        var status: HTTPResponse.Status {
            switch self {
            case .validation: .badRequest
            case .forbidden: .forbidden
            case .orderNotFound, .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .versionConflict, .writeConflict: .conflict
            case .ruleViolated, .idempotencyKeyReuse: .unprocessableContent
            case .unavailable, .outcomeUnknown: .serviceUnavailable
            }
        }

        var title: String {
            switch self {
            case .validation: "The request is malformed"
            case .forbidden: "The token does not allow this"
            case .orderNotFound: "No such order"
            case .versionConflict: "The order is at another version than If-Match says"
            case .writeConflict: "Another writer changed the order first"
            case .ruleViolated: "The order's rules forbid this command"
            case .idempotencyKeyReuse: "This Idempotency-Key was used for another command"
            case .unavailable: "The command cannot be taken now; nothing was appended"
            case .outcomeUnknown: "The command's outcome is unknown; retry with the same Idempotency-Key"
            case .notFound: "No such resource"
            case .methodNotAllowed: "This method is not allowed on this resource"
            }
        }
    }

    public var kind: Kind
    public var detail: String
    /// Extra members: `rule`, `currentVersion`, `orderId`.
    public var extensions: [String: ProblemValue] = [:]

    public init(_ kind: Kind, _ detail: String, extensions: [String: ProblemValue] = [:]) {
        self.kind = kind
        self.detail = detail
        self.extensions = extensions
    }

    public typealias ProblemValue = ProblemResponse.Value

    var response: Response {
        ProblemResponse.make(kind: kind.rawValue, title: kind.title, status: kind.status, detail: detail, extensions: extensions)
    }
}
