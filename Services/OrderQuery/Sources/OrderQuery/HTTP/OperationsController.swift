import SQLStore
import Crypto
import Events
import Foundation
import HTTPTypes
import Hummingbird
import KafkaWire
import NIOCore
import ServiceHTTP

/// Health, metrics, projection status, rebuilds and the OpenAPI document.
struct OperationsController<Operations: ReadModelOperations>: Sendable {
    let operations: Operations
    let partitionCount: Int32
    let adminToken: String?
    let metrics: QueryMetrics
    /// Whether the routes require bearer tokens (the OpenAPI document says so).
    var bearerAuthentication = false

    func addRoutes(to router: Router<BasicRequestContext>) {
        OperationRoutes.add(
            to: router, openAPIDocument: QueryOpenAPIDocument.json, bearerAuthentication: bearerAuthentication, metrics: metrics.registry,
            notReady: { [operations] in await operations.notReadyReason }, unavailable: { QueryProblem(.unavailable, $0).response })
        router.get("/projection") { request, _ in
            await answer {
                _ = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                return jsonResponse(try await operations.projection())
            }
        }
        router.post("/admin/rebuild") { request, _ in
            await answer {
                try authorize(request)
                _ = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                let body = try await request.body.collect(upTo: 64 * 1024)
                let target = try RebuildRequest.parse(Array(body.readableBytesView), partitionCount: partitionCount)
                let status = try await operations.startRebuild(target)
                return jsonResponse(status, status: .accepted, headers: [.location: "/admin/rebuild/\(status.id)"])
            }
        }
        router.get("/admin/rebuild/:id") { request, context in
            await answer {
                try authorize(request)
                _ = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                guard let id = ReadParameters.integer(context.parameters.get("id") ?? ""), id >= 1 else {
                    throw QueryProblem(.validation, "a rebuild id is a whole number, as POST /admin/rebuild answered it")
                }
                return jsonResponse(try await operations.rebuildStatus(id))
            }
        }
        for path in ["/projection", "/admin/rebuild/:id"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
        MethodNotAllowed.register(router, path: "/admin/rebuild", allowed: [.post])
    }

    /// Admin routes: 403 until ADMIN_TOKEN is set, then 401 without the right bearer token.
    func authorize(_ request: Request) throws(QueryProblem) {
        do {
            try AdminAuthorization.check(request, token: adminToken)
        } catch {
            throw QueryProblem(error == .disabled ? .forbidden : .unauthorized, error.detail)
        }
    }
}

/// `POST /admin/rebuild`'s body: empty or `{}` for a rebuild that swaps in; `{"upTo": {"P": offset}}`
/// or `{"upToTimestamp": ms}` for a read model as of a position.
enum RebuildRequest {
    /// The largest offset or timestamp taken: 18 digits, as the OpenAPI document says.
    static let maxWhole: Int64 = 999_999_999_999_999_999

    static func parse(_ bytes: [UInt8], partitionCount: Int32) throws(QueryProblem) -> RebuildTarget {
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return .live }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw QueryProblem(.validation, "the body must be a JSON object: {}, {\"upTo\": {\"0\": 123}} or {\"upToTimestamp\": 1700000000000}")
        }
        if let unknown = object.keys.sorted().first(where: { $0 != "upTo" && $0 != "upToTimestamp" }) {
            throw QueryProblem(.validation, "unknown field \(quoted(unknown)); expected upTo or upToTimestamp")
        }
        switch (object["upTo"], object["upToTimestamp"]) {
        case (nil, nil):
            return .live
        case (let upTo?, nil):
            guard case .object(let positions) = upTo, !positions.isEmpty else {
                throw QueryProblem(.validation, "upTo must be an object of partition to offset, as {\"0\": 123}")
            }
            var result: [Int32: Int64] = [:]
            for (key, value) in positions {
                guard let partition = ReadParameters.integer(key), partition < Int64(partitionCount) else {
                    throw QueryProblem(.validation, "upTo names partition \(quoted(key)); the topic has partitions 0 to \(partitionCount - 1)")
                }
                guard case .integer(let offset) = value, (0...maxWhole).contains(offset) else {
                    throw QueryProblem(.validation, "upTo's offset for partition \(partition) must be a whole number of at least 0")
                }
                result[Int32(partition)] = offset
            }
            return .upTo(result)
        case (nil, let timestamp?):
            guard case .integer(let ms) = timestamp, (0...maxWhole).contains(ms) else {
                throw QueryProblem(.validation, "upToTimestamp must be milliseconds since the epoch, a whole number of at least 0")
            }
            return .upToTimestamp(ms)
        default:
            throw QueryProblem(.validation, "give upTo or upToTimestamp, not both")
        }
    }
}
