import NIOConcurrencyHelpers
import NIOCore

@testable import Console

/// The services in memory for the router tests: a canned answer per method and path, every
/// request kept (to check what was passed through); a path without an answer is a 404, a
/// service marked down does not answer at all.
final class MemoryServiceAPI: ServiceAPI, Sendable {
    private let state = NIOLockedValueBox(State())

    private struct State {
        var answers: [String: UpstreamAnswer] = [:]
        var down: Set<String> = []
        var requests: [UpstreamRequest] = []
    }

    func answer(_ service: UpstreamService, _ path: String, method: String = "GET", status: Int = 200, json: String) {
        let answer = UpstreamAnswer(status: status, contentType: status < 300 ? "application/json" : "application/problem+json", body: ByteBuffer(string: json))
        state.withLockedValue { $0.answers["\(service.rawValue) \(method) \(path)"] = answer }
    }

    func answer(_ service: UpstreamService, _ path: String, text: String) {
        let answer = UpstreamAnswer(status: 200, contentType: "text/plain", body: ByteBuffer(string: text))
        state.withLockedValue { $0.answers["\(service.rawValue) GET \(path)"] = answer }
    }

    func takeDown(_ service: UpstreamService) { state.withLockedValue { _ = $0.down.insert(service.rawValue) } }

    var requests: [UpstreamRequest] { state.withLockedValue { $0.requests } }

    func send(_ request: UpstreamRequest) async throws(UpstreamFailure) -> UpstreamAnswer {
        let (answer, down) = state.withLockedValue { state in
            state.requests.append(request)
            return (state.answers["\(request.service.rawValue) \(request.method) \(request.path)"], state.down.contains(request.service.rawValue))
        }
        if down { throw UpstreamFailure(service: request.service, url: "http://memory", reason: "connection refused") }
        return answer ?? UpstreamAnswer(
            status: 404, contentType: "application/problem+json",
            body: ByteBuffer(string: #"{"type":"/problems/not-found","title":"Not found","status":404,"detail":"nothing here"}"#))
    }
}
