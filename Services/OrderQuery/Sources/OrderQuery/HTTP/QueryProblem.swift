import SQLStore
import HTTPTypes
import Hummingbird
import ServiceHTTP

/// The problems OrderQuery answers with (RFC 9457, `type` = `/problems/<kind>`).
public struct QueryProblem: Error, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case validation
        case orderNotFound = "order-not-found"
        case customerNotFound = "customer-not-found"
        case generationNotFound = "generation-not-found"
        case rebuildNotFound = "rebuild-not-found"
        case rebuildRunning = "rebuild-running"
        case notFound = "not-found"
        case unauthorized
        case forbidden
        case tooLarge = "too-large"
        case notYetVisible = "not-yet-visible"
        case unavailable

        var status: HTTPResponse.Status {
            switch self {
            case .validation: .badRequest
            case .orderNotFound, .customerNotFound, .generationNotFound, .rebuildNotFound, .notFound: .notFound
            case .rebuildRunning: .conflict
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .tooLarge: .contentTooLarge
            case .notYetVisible, .unavailable: .serviceUnavailable
            }
        }

        var title: String {
            switch self {
            case .validation: "The request is malformed"
            case .orderNotFound: "No such order in the read model"
            case .customerNotFound: "No such customer in the read model"
            case .generationNotFound: "No such generation serving queries"
            case .rebuildNotFound: "No such rebuild"
            case .rebuildRunning: "A rebuild is already running"
            case .notFound: "No such resource"
            case .unauthorized: "A valid bearer token is required"
            case .forbidden: "Not allowed"
            case .tooLarge: "The request body is too large"
            case .notYetVisible: "The read model has not applied that position yet; retry"
            case .unavailable: "The read model cannot answer now; retry"
            }
        }
    }

    public var kind: Kind
    public var detail: String
    public var extensions: [String: ProblemResponse.Value]

    public init(_ kind: Kind, _ detail: String, extensions: [String: ProblemResponse.Value] = [:]) {
        self.kind = kind
        self.detail = detail
        self.extensions = extensions
    }

    var response: Response {
        var response = ProblemResponse.make(kind: kind.rawValue, title: kind.title, status: kind.status, detail: detail, extensions: extensions)
        if kind == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

extension QueryProblem {
    /// A read whose condition did not hold within its wait (a 504 names what it waited for).
    static func notYetVisible(_ parameters: ReadParameters, orderId: String?) -> QueryProblem {
        let what: String = switch parameters.condition {
        case .position(let partition, let offset)?: "position \(partition):\(offset)"
        case .minVersion(let version)?: "version \(version) of order \(orderId ?? "")"
        case nil: "the request"
        }
        return QueryProblem(.notYetVisible, "the read model had not applied \(what) within \(parameters.wait.wholeMilliseconds) ms")
    }
}

extension QueryProblem {
    /// A rebuild was asked for while `generation` is still being rebuilt.
    static func rebuildRunning(_ generation: Int64) -> QueryProblem {
        QueryProblem(.rebuildRunning, "rebuild \(generation) is still running; follow it at /admin/rebuild/\(generation)",
                     extensions: ["rebuildId": .int(generation)])
    }
}
