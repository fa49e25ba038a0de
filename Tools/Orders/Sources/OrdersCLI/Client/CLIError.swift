import ServiceHTTP

/// Everything that makes a command fail, each with the one line the user sees and an exit
/// code (sysexits: 64 usage, 69 a service unreachable, 75 a service temporarily unavailable,
/// 1 a service refused the request).
public enum CLIError: Error, CustomStringConvertible {
    /// The service could not be reached at all.
    case unreachable(service: String, url: String, reason: String, hint: String)
    /// The service answered with a problem (RFC 9457).
    case problem(service: String, status: Int, kind: String, title: String, detail: String, extensions: [String: JSONValue])
    /// The service answered something this CLI cannot read.
    case badAnswer(service: String, reason: String)
    /// The command line asks for something impossible (checked after parsing).
    case usage(String)
    /// Anything else, already worded.
    case failed(String)

    public var description: String {
        switch self {
        case .unreachable(let service, let url, let reason, let hint):
            return "\(service) is not reachable at \(url) (\(reason)); \(hint)"
        case .problem(_, _, let kind, let title, let detail, let extensions):
            switch kind {
            case "rule-violated":
                let rule = extensions["rule"].flatMap { if case .string(let rule) = $0 { rule } else { nil } } ?? "?"
                return "rule \(rule) violated: \(detail)"
            case "version-conflict":
                let current = extensions["currentVersion"].flatMap { if case .integer(let version) = $0 { version } else { nil } }
                return "version conflict: \(detail)" + (current.map { " (retry with --expected-version \($0) if the change still makes sense)" } ?? "")
            case "unauthorized":
                return "\(title): \(detail) (the services require a token: give one with --token or ORDERS_TOKEN)"
            default:
                return "\(title): \(detail)"
            }
        case .badAnswer(let service, let reason):
            return "\(service) answered something unexpected: \(reason)"
        case .usage(let message), .failed(let message):
            return message
        }
    }

    public var exitCode: Int32 {
        switch self {
        case .unreachable: 69
        case .problem(_, let status, _, _, _, _): status == 503 ? 75 : 1
        case .badAnswer: 1
        case .usage: 64
        case .failed: 1
        }
    }
}
