import NIOCore

/// The three services the console asks over their HTTP APIs.
enum UpstreamService: String, Sendable, CaseIterable {
    case orderCommand = "order-command"
    case orderQuery = "order-query"
    case notifier
}

/// A request to one of the services. `authorization` is the caller's own (a header, or the
/// console's token cookie), passed through: the service authenticates and authorizes it.
struct UpstreamRequest: Sendable {
    var service: UpstreamService
    var method: String = "GET"
    var path: String
    var body: ByteBuffer? = nil
    var authorization: String? = nil
    var idempotencyKey: String? = nil
}

/// A service's answer, whatever its status: the console shows problems as they are.
struct UpstreamAnswer: Sendable {
    var status: Int
    var contentType: String?
    var body: ByteBuffer

    var isSuccess: Bool { (200..<300).contains(status) }
}

/// Why a service gave no answer at all.
struct UpstreamFailure: Error, Sendable, CustomStringConvertible {
    var service: UpstreamService
    var url: String
    var reason: String

    var description: String { "\(service.rawValue) at \(url) did not answer: \(reason)" }
}

/// How the console reaches the services: over HTTP in the service, in memory in the router tests.
protocol ServiceAPI: Sendable {
    func send(_ request: UpstreamRequest) async throws(UpstreamFailure) -> UpstreamAnswer
}
