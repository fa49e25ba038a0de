import HTTPTypes
import Hummingbird
import ServiceHTTP

/// The problems the console answers with (RFC 9457, `type` = `/problems/<kind>`).
struct ConsoleProblem: Error, Sendable {
    enum Kind: String, CaseIterable, Sendable {
        case validation
        case unavailable

        var status: HTTPResponse.Status {
            switch self {
            case .validation: .badRequest
            case .unavailable: .serviceUnavailable
            }
        }

        var title: String {
            switch self {
            case .validation: "The request is malformed"
            case .unavailable: "The console cannot read the log now; retry"
            }
        }
    }

    var kind: Kind
    var detail: String

    init(_ kind: Kind, _ detail: String) {
        self.kind = kind
        self.detail = detail
    }

    var response: Response {
        ProblemResponse.make(kind: kind.rawValue, title: kind.title, status: kind.status, detail: detail)
    }
}

/// Every failure as a problem: the client's mistakes as 400, the log out of reach as 503
/// with Retry-After. Never a 500 for input.
func answer(_ body: () async throws -> Response) async -> Response {
    do {
        return try await body()
    } catch let problem as ConsoleProblem {
        return problem.response
    } catch is CancellationError {
        return ConsoleProblem(.unavailable, "the service is shutting down").response
    } catch {
        return ConsoleProblem(.unavailable, "the log cannot be read: \(error)").response
    }
}
