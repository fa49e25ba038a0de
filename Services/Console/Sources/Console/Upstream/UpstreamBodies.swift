import Foundation
import NIOCore

/// The parts of the services' answers the console shows, decoded leniently: a field the
/// console does not know is ignored, so a newer service does not break an older console.
enum UpstreamBodies {
    /// `GET /orders/{id}` of order-query.
    struct Order: Decodable, Sendable {
        struct Item: Decodable, Sendable { var sku: String; var quantity: Int64; var unitPrice: Int64 }
        var orderId: String
        var customerId: String
        var status: String
        var currency: String
        var items: [Item]
        var total: Int64
        var version: Int64
        var updatedAt: String?
    }

    /// `GET /orders/{id}/notifications` of the notifier.
    struct Notifications: Decodable, Sendable {
        struct Notification: Decodable, Sendable {
            struct Inner: Decodable, Sendable { var kind: String; var version: Int64; var position: String; var subject: String }
            struct Delivery: Decodable, Sendable { var sink: String; var status: String; var attempts: Int64; var lastError: String? }
            var notification: Inner
            var deliveries: [Delivery]
        }
        var notifications: [Notification]
    }

    /// An `application/problem+json` body.
    struct Problem: Decodable, Sendable {
        var type: String?
        var title: String?
        var detail: String?
    }

    static func decode<T: Decodable>(_ type: T.Type, _ body: ByteBuffer) -> T? {
        try? JSONDecoder().decode(type, from: Data(body.readableBytesView))
    }

    /// What a failed answer says, in one line: the problem's detail, else its status.
    static func explain(_ answer: UpstreamAnswer) -> String {
        if let problem = decode(Problem.self, answer.body), let text = problem.detail ?? problem.title {
            return "\(answer.status): \(text)"
        }
        return "HTTP \(answer.status)"
    }
}
