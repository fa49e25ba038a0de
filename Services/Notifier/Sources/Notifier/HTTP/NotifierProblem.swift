import HTTPTypes
import Hummingbird
import ServiceHTTP

/// The problems the notifier answers with (RFC 9457, `type` = `/problems/<kind>`).
public struct NotifierProblem: Error, Sendable {
    public enum Kind: String, CaseIterable, Sendable {
        case validation
        case notFound = "not-found"
        case unauthorized
        case forbidden
        case tooLarge = "too-large"
        case unavailable

        var status: HTTPResponse.Status {
            switch self {
            case .validation: .badRequest
            case .notFound: .notFound
            case .unauthorized: .unauthorized
            case .forbidden: .forbidden
            case .tooLarge: .contentTooLarge
            case .unavailable: .serviceUnavailable
            }
        }

        var title: String {
            switch self {
            case .validation: "The request is malformed"
            case .notFound: "No such resource"
            case .unauthorized: "A valid bearer token is required"
            case .forbidden: "Admin routes are disabled: ADMIN_TOKEN is not set"
            case .tooLarge: "The request body is too large"
            case .unavailable: "The notifier cannot answer now; retry"
            }
        }
    }

    public var kind: Kind
    public var detail: String

    public init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    var response: Response {
        var response = ProblemResponse.make(kind: kind.rawValue, title: kind.title, status: kind.status, detail: detail)
        if kind == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer" }
        return response
    }
}

/// Every failure as a problem: the client's mistakes as 4xx, the ledger or the log being
/// unreachable as 503 with Retry-After. Never a 500 for input.
func answer(_ body: () async throws -> Response) async -> Response {
    do {
        return try await body()
    } catch let problem as NotifierProblem {
        return problem.response
    } catch let refusal as AdminAuthorization.Refusal {
        return NotifierProblem(refusal == .disabled ? .forbidden : .unauthorized, refusal.detail).response
    } catch let error as HTTPError where error.status == .contentTooLarge {
        return NotifierProblem(.tooLarge, "the body is larger than 64 KiB").response
    } catch is CancellationError {
        return NotifierProblem(.unavailable, "the service is shutting down").response
    } catch {
        return NotifierProblem(.unavailable, "the ledger or the log cannot be reached: \(error)").response
    }
}

/// No route of the notifier takes query parameters: any is refused, not ignored.
func refuseQuery(_ request: Request) throws(NotifierProblem) {
    if let name = request.uri.queryParameters.first?.key {
        throw NotifierProblem(.validation, "unknown query parameter \(quoted(String(name))); this route takes none")
    }
}
