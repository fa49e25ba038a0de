import AsyncHTTPClient
import NIOCore

/// The services over HTTP, each at its base URL (`ORDERS_COMMAND_URL`, `ORDERS_QUERY_URL`,
/// `ORDERS_NOTIFIER_URL`, as the CLI finds them).
struct HTTPServiceAPI: ServiceAPI {
    let client: HTTPClient
    let urls: [UpstreamService: String]
    /// Long enough for a command's append on a cluster that is moving a leader.
    var timeout: TimeAmount = .seconds(30)

    func send(_ request: UpstreamRequest) async throws(UpstreamFailure) -> UpstreamAnswer {
        let base = urls[request.service] ?? ""
        var outgoing = HTTPClientRequest(url: base + request.path)
        outgoing.method = .init(rawValue: request.method)
        outgoing.headers.add(name: "Accept", value: "application/json")
        if let authorization = request.authorization { outgoing.headers.add(name: "Authorization", value: authorization) }
        if let key = request.idempotencyKey { outgoing.headers.add(name: "Idempotency-Key", value: key) }
        if let body = request.body {
            outgoing.headers.add(name: "Content-Type", value: "application/json")
            outgoing.body = .bytes(body)
        }
        do {
            let response = try await client.execute(outgoing, timeout: timeout)
            let body = try await response.body.collect(upTo: 8 << 20)
            return UpstreamAnswer(status: Int(response.status.code), contentType: response.headers.first(name: "Content-Type"), body: body)
        } catch {
            throw UpstreamFailure(service: request.service, url: base, reason: "\(error)")
        }
    }
}
