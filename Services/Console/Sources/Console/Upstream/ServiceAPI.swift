import Foundation
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

extension UpstreamRequest {
    /// An order id (or any text) as one path segment of a service's route.
    static func segment(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed.subtracting(["/"])) ?? text
    }
}

/// What a service's JSON answer to a GET gave: the value, nothing there (404), or in words why
/// there is nothing to show.
enum Fetched<Value: Sendable>: Sendable {
    case value(Value)
    case notFound
    case failed(String)
}

extension ServiceAPI {
    /// GETs `path` from `service` with the caller's token and decodes its JSON body.
    func fetch<Value: Decodable & Sendable>(
        _ type: Value.Type, from service: UpstreamService, _ path: String, authorization: String?
    ) async -> Fetched<Value> {
        let answer: UpstreamAnswer
        do {
            answer = try await send(UpstreamRequest(service: service, path: path, authorization: authorization))
        } catch {
            return .failed("\(error)")
        }
        if answer.status == 404 { return .notFound }
        guard answer.isSuccess else { return .failed("\(service.rawValue) answered \(UpstreamBodies.explain(answer))") }
        guard let value = UpstreamBodies.decode(type, answer.body) else {
            return .failed("\(service.rawValue) answered something the console cannot read")
        }
        return .value(value)
    }
}
