import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceHTTP

/// One service's HTTP API as the CLI sees it: JSON in and out, problems turned into
/// `CLIError`, a 503 retried (honouring Retry-After, with the same request and so the same
/// idempotency key) a few times before giving up.
public struct ServiceClient: Sendable {
    public var name: String
    public var baseURL: String
    /// Which flag and variable set the address, for the "not reachable" hint.
    public var setting: String
    public var adminToken: String?
    /// The bearer token of every request (`--token` / ORDERS_TOKEN), when the services
    /// require one; admin requests carry `adminToken` instead when it is set.
    public var token: String?
    public var retries503 = 4

    public init(name: String, baseURL: String, setting: String, adminToken: String? = nil, token: String? = nil) {
        self.name = name
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.setting = setting
        self.adminToken = adminToken
        self.token = token
    }

    public struct Answer: Sendable {
        public var status: Int
        public var headers: HTTPHeaders
        public var body: [UInt8]

        public func decode<T: Decodable>(_ type: T.Type, service: String) throws -> T {
            do {
                return try JSONDecoder().decode(T.self, from: Data(body))
            } catch {
                throw CLIError.badAnswer(service: service, reason: "\(error)")
            }
        }

        public var json: JSONValue { (try? JSONDecoder().decode(JSONValue.self, from: Data(body))) ?? .null }
    }

    /// Sends a request; 2xx (and 304) answers return, others throw `CLIError`.
    public func send(
        _ method: HTTPMethod, _ path: String, json body: [UInt8]? = nil, headers extra: [(String, String)] = [],
        admin: Bool = false, timeout: TimeAmount = .seconds(40)
    ) async throws -> Answer {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "Accept", value: "application/json")
        request.headers.add(name: "User-Agent", value: "orders-cli")
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        for (name, value) in extra { request.headers.add(name: name, value: value) }
        if let bearer = admin ? adminToken ?? token : token { request.headers.add(name: "Authorization", value: "Bearer \(bearer)") }
        // AsyncHTTPClient retries a refused connection until the request's deadline (40 s, for
        // queries that wait): a quick probe first says at once that nothing listens there.
        try await probe()
        var attempt = 0
        while true {
            attempt += 1
            let answer: Answer
            do {
                let response = try await HTTPClient.shared.execute(request, timeout: timeout)
                let bytes = try await response.body.collect(upTo: 64 * 1024 * 1024)
                answer = Answer(status: Int(response.status.code), headers: response.headers, body: Array(bytes.readableBytesView))
            } catch {
                throw CLIError.unreachable(
                    service: name, url: baseURL, reason: Self.reason(error),
                    hint: "start it (orders up runs everything) or point \(setting) at it")
            }
            if (200..<300).contains(answer.status) || answer.status == 304 { return answer }
            if answer.status == 503, attempt <= retries503 {
                let wait = answer.headers.first(name: "Retry-After").flatMap { Int($0) } ?? 1
                try await Task.sleep(for: .seconds(min(max(wait, 1), 10)))
                continue
            }
            throw problem(answer)
        }
    }

    /// Connects to the service's address and closes again; a refusal or a 3 s silence is
    /// `unreachable` with the reason.
    func probe() async throws {
        guard let components = URLComponents(string: baseURL), let host = components.host else {
            throw CLIError.usage("\(setting) must be a URL, not \(baseURL.debugDescription)")
        }
        let port = components.port ?? (components.scheme == "https" ? 443 : 80)
        do {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(3))
                .connect(host: host, port: port).get()
            try? await channel.close()
        } catch {
            throw CLIError.unreachable(
                service: name, url: baseURL, reason: Self.reason(error),
                hint: "start it (orders up runs everything) or point \(setting) at it")
        }
    }

    func problem(_ answer: Answer) -> CLIError {
        guard case .object(let object) = answer.json else {
            return .badAnswer(service: name, reason: "HTTP \(answer.status) \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
        }
        let text = { (key: String) -> String in if case .string(let value)? = object[key] { value } else { "" } }
        let kind = text("type").split(separator: "/").last.map(String.init) ?? "error"
        return .problem(service: name, status: answer.status, kind: kind, title: text("title"), detail: text("detail"), extensions: object)
    }

    static func reason(_ error: any Error) -> String {
        let text = "\(error)"
        if text.contains("connectTimeout") { return "connection timed out" }
        if text.contains("refused") || text.contains("connect(descriptor:") || text.contains("ECONNREFUSED") { return "connection refused" }
        if text.contains("connectTimeout") || text.contains("ConnectTimeout") { return "connection timed out" }
        if text.contains("deadlineExceeded") { return "no answer in time" }
        return text.count > 160 ? String(text.prefix(160)) + "…" : text
    }
}

/// Percent-encodes a path segment (ids are restricted, but a user may type anything).
func segment(_ text: String) -> String {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
}

func jsonBytes(_ value: some Encodable) -> [UInt8] {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    return Array((try? encoder.encode(value)) ?? Data("{}".utf8))
}
