import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1

/// An HTTP POST of the notification's JSON to a receiver, with a timeout.
///
/// Headers: `Idempotency-Key` (the event id: a receiver drops the rare duplicate by it; a
/// resend or redrive asked for on purpose is `<event id>.r<round>`), `Notifier-Event-Id`,
/// `Notifier-Timestamp` (ms since the epoch) and, when `NOTIFIER_WEBHOOK_SECRET` is set,
/// `Notifier-Signature: sha256=<hex>`, an HMAC-SHA256 over `<timestamp>.<body>` (the
/// timestamp is signed so a captured request cannot be replayed later as new).
///
/// 2xx is delivered. Connection errors, timeouts, 408, 429 and 5xx are retried (honouring
/// Retry-After); any other answer is final and dead-letters the event.
final class WebhookSink: NotificationSink {
    let name: String
    let url: String
    /// The HMAC key's bytes (a `SymmetricKey` is made per request: it is not Sendable).
    let secret: [UInt8]?
    let timeout: Duration
    let client: HTTPClient

    init(url: String, secret: String?, timeout: Duration) {
        self.name = "webhook:\(url)"
        self.url = url
        self.secret = secret.map { Array($0.utf8) }
        self.timeout = timeout
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 64)
        configuration.redirectConfiguration = .disallow
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// `sha256=<hex>` of HMAC-SHA256(secret, "<timestamp>.<body>").
    static func signature(secret: SymmetricKey, timestamp: String, body: [UInt8]) -> String {
        var message = Array(timestamp.utf8)
        message.append(UInt8(ascii: "."))
        message.append(contentsOf: body)
        let code = HMAC<SHA256>.authenticationCode(for: message, using: secret)
        return "sha256=" + code.map { String(format: "%02x", $0) }.joined()
    }

    func deliver(_ notification: Notification, body: [UInt8], idempotencyKey: String) async throws(DeliveryFailure) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        let timestamp = String(Int64(Date().timeIntervalSince1970 * 1000))
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "orders-notifier")
        request.headers.add(name: "Idempotency-Key", value: idempotencyKey)
        request.headers.add(name: "Notifier-Event-Id", value: notification.eventId)
        request.headers.add(name: "Notifier-Timestamp", value: timestamp)
        if let secret {
            request.headers.add(name: "Notifier-Signature", value: Self.signature(secret: SymmetricKey(data: secret), timestamp: timestamp, body: body))
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response: HTTPClientResponse
        do {
            response = try await client.execute(request, timeout: .milliseconds(timeout.wholeMillisecondsForTimeout))
            // Read (and drop) the answer's body so the connection can be reused.
            _ = try await response.body.collect(upTo: 64 * 1024)
        } catch {
            throw DeliveryFailure("POST \(url): \(error)", retryable: true)
        }
        let code = Int(response.status.code)
        if (200..<300).contains(code) { return }
        let retryable = code == 408 || code == 429 || code >= 500
        let retryAfter = response.headers.first(name: "Retry-After").flatMap(Self.retryAfter)
        throw DeliveryFailure("POST \(url) answered \(code)", retryable: retryable, retryAfter: retryAfter)
    }

    /// Retry-After as delay-seconds or an HTTP date.
    static func retryAfter(_ value: String) -> Duration? {
        let trimmed = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int64(trimmed), seconds >= 0 { return .seconds(seconds) }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
        guard let date = formatter.date(from: trimmed) else { return nil }
        return .milliseconds(max(0, Int64(date.timeIntervalSinceNow * 1000)))
    }

    func shutdown() async { try? await client.shutdown() }
}

extension Duration {
    /// Whole milliseconds, at least 1 (a zero timeout would fail every request).
    var wholeMillisecondsForTimeout: Int64 {
        let (seconds, attoseconds) = components
        return max(1, seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
