/// Where notifications go. `name` is the sink as configured (`log`, `file:PATH`,
/// `webhook:URL`): the ledger keys deliveries by event id and this name.
public protocol NotificationSink: Sendable {
    var name: String { get }
    /// Delivers one notification; `body` is its JSON, `idempotencyKey` what a receiver drops
    /// a duplicate by (the event id; a resend asked for by a replay has its own).
    func deliver(_ notification: Notification, body: [UInt8], idempotencyKey: String) async throws(DeliveryFailure)
    func shutdown() async
}

/// Why a delivery failed, and whether trying again may help.
public struct DeliveryFailure: Error, Sendable, CustomStringConvertible {
    public var reason: String
    public var retryable: Bool
    /// The receiver's Retry-After, when it gave one.
    public var retryAfter: Duration?

    public init(_ reason: String, retryable: Bool, retryAfter: Duration? = nil) {
        self.reason = reason
        self.retryable = retryable
        self.retryAfter = retryAfter
    }

    public var description: String { reason }
}

/// `NOTIFIER_SINKS`: a comma list of `log`, `file:PATH`, `webhook:URL`.
public enum SinkSpec: Sendable, Hashable, CustomStringConvertible {
    case log
    case file(path: String)
    case webhook(url: String)

    public static func parseList(_ text: String) throws(SinkSpecError) -> [SinkSpec] {
        let parts = text.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !parts.isEmpty else { throw SinkSpecError("name at least one sink: log, file:PATH or webhook:URL") }
        var result: [SinkSpec] = []
        for part in parts {
            let spec = try parse(part)
            guard !result.contains(spec) else { throw SinkSpecError("\(part) is listed twice") }
            result.append(spec)
        }
        return result
    }

    static func parse(_ text: String) throws(SinkSpecError) -> SinkSpec {
        if text == "log" { return .log }
        if text.hasPrefix("file:") {
            let path = String(text.dropFirst("file:".count))
            guard !path.isEmpty else { throw SinkSpecError("file: needs a path, as in file:./.orders/notifications.jsonl") }
            return .file(path: path)
        }
        if text.hasPrefix("webhook:") {
            let url = String(text.dropFirst("webhook:".count))
            guard (url.hasPrefix("http://") || url.hasPrefix("https://")), url.count > "https://".count else {
                throw SinkSpecError("webhook: needs an http:// or https:// URL, not \(url.debugDescription)")
            }
            return .webhook(url: url)
        }
        throw SinkSpecError("unknown sink \(text.debugDescription); expected log, file:PATH or webhook:URL")
    }

    public var description: String {
        switch self {
        case .log: "log"
        case .file(let path): "file:\(path)"
        case .webhook(let url): "webhook:\(url)"
        }
    }
}

public struct SinkSpecError: Error, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
