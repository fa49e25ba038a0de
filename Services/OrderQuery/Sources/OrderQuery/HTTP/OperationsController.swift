import SQLStore
import Crypto
import Events
import Foundation
import HTTPTypes
import Hummingbird
import KafkaWire
import NIOCore
import ServiceKit

/// Health, metrics, projection status, rebuilds and the OpenAPI document.
struct OperationsController: Sendable {
    let store: ReadModelStore
    let live: LiveProjection
    let rebuilds: RebuildManager
    let admin: KafkaAdmin
    let topic: String
    let partitionCount: Int32
    let adminToken: String?
    let metrics: QueryMetrics

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health/live") { _, _ in jsonResponse(["status": "live"]) }
        router.get("/health/ready") { _, _ in
            if let reason = live.notReadyReason { return QueryProblem(.unavailable, "not ready: \(reason)").response }
            return jsonResponse(["status": "ready"])
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            metrics.registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: QueryOpenAPIDocument.json)))
        }
        router.get("/projection") { request, _ in
            await answer {
                _ = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                return jsonResponse(try await projection())
            }
        }
        router.post("/admin/rebuild") { request, _ in
            await answer {
                try authorize(request)
                _ = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                let body = try await request.body.collect(upTo: 64 * 1024)
                let target = try RebuildRequest.parse(Array(body.readableBytesView), partitionCount: partitionCount)
                do {
                    let generation = try await rebuilds.start(target)
                    let status = try await rebuildStatus(generation)
                    return jsonResponse(status, status: .accepted, headers: [.location: "/admin/rebuild/\(generation)"])
                } catch RebuildManager.StartRefusal.alreadyRunning(let generation) {
                    throw QueryProblem(.rebuildRunning, "rebuild \(generation) is still running; follow it at /admin/rebuild/\(generation)",
                                       extensions: ["rebuildId": .int(generation)])
                }
            }
        }
        router.get("/admin/rebuild/:id") { request, context in
            await answer {
                try authorize(request)
                _ = try ReadParameters(queryPairs(request), route: [], partitionCount: partitionCount)
                guard let id = ReadParameters.integer(context.parameters.get("id") ?? ""), id >= 1 else {
                    throw QueryProblem(.validation, "a rebuild id is a whole number, as POST /admin/rebuild answered it")
                }
                return jsonResponse(try await rebuildStatus(id))
            }
        }
        for path in ["/health/live", "/health/ready", "/metrics", "/openapi.json", "/projection", "/admin/rebuild/:id"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
        MethodNotAllowed.register(router, path: "/admin/rebuild", allowed: [.post])
    }

    func projection() async throws -> ProjectionBody {
        guard let generation = try await store.liveGeneration() else {
            throw QueryProblem(.unavailable, "the read model has no live generation yet")
        }
        let stored = try await store.storedOffsets(generation)
        var ends: [Int32: Int64] = [:]
        do {
            for offset in try await admin.listOffsets(.latest, topic: topic) { ends[offset.partition] = offset.offset }
        } catch {
            throw QueryProblem(.unavailable, "the log's end offsets cannot be read: \(error)")
        }
        let partitions = (0..<partitionCount).map { partition in
            let storedOffset = stored[partition] ?? 0
            let end = ends[partition] ?? storedOffset
            return ProjectionBody.Partition(partition: partition, storedOffset: storedOffset, endOffset: end, lag: max(0, end - storedOffset))
        }
        metrics.lag.record(Double(partitions.reduce(0) { $0 + $1.lag }))
        return ProjectionBody(generation: generation, partitions: partitions)
    }

    func rebuildStatus(_ id: Int64) async throws -> RebuildBody {
        guard let generation = try await store.generation(id), generation.targetEvents != nil else {
            throw QueryProblem(.rebuildNotFound, "no rebuild \(id)")
        }
        let read = try await store.storedOffsets(id).values.reduce(0, +)
        return RebuildBody(generation, recordsRead: read, now: .now)
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
            throw QueryProblem(.validation, "unknown field \(ReadParameters.quoted(unknown)); expected upTo or upToTimestamp")
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
                    throw QueryProblem(.validation, "upTo names partition \(ReadParameters.quoted(key)); the topic has partitions 0 to \(partitionCount - 1)")
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
