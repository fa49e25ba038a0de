import KafkaWire

/// What the operations routes need: readiness, the projection's progress against the log, and
/// rebuilds. `LiveOperations` is the real one (the live projection, the database, the log's
/// end offsets, the rebuild manager); the router tests use one in memory.
public protocol ReadModelOperations: Sendable {
    /// Nil when ready; otherwise why not.
    var notReadyReason: String? { get async }
    /// The live generation's stored offsets next to the log's end.
    func projection() async throws -> ProjectionBody
    /// Starts a rebuild and returns its first status; `QueryProblem(.rebuildRunning)` while another runs.
    func startRebuild(_ target: RebuildTarget) async throws -> RebuildBody
    /// A rebuild's status; `QueryProblem(.rebuildNotFound)` for an unknown id.
    func rebuildStatus(_ id: Int64) async throws -> RebuildBody
}

/// The operations of a running OrderQuery.
struct LiveOperations: ReadModelOperations {
    let store: ReadModelStore
    let live: LiveProjection
    let rebuilds: RebuildManager
    let admin: KafkaAdmin
    let topic: String
    let partitionCount: Int32
    let metrics: QueryMetrics

    var notReadyReason: String? { live.notReadyReason }

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
        let body = ProjectionBody(generation: generation, stored: stored, ends: ends, partitionCount: partitionCount)
        metrics.lag.record(Double(body.partitions.reduce(0) { $0 + $1.lag }))
        return body
    }

    func startRebuild(_ target: RebuildTarget) async throws -> RebuildBody {
        do {
            return try await rebuildStatus(try await rebuilds.start(target))
        } catch RebuildManager.StartRefusal.alreadyRunning(let generation) {
            throw QueryProblem.rebuildRunning(generation)
        }
    }

    func rebuildStatus(_ id: Int64) async throws -> RebuildBody {
        guard let generation = try await store.generation(id), generation.targetEvents != nil else {
            throw QueryProblem(.rebuildNotFound, "no rebuild \(id)")
        }
        let read = try await store.storedOffsets(id).values.reduce(0, +)
        return RebuildBody(generation, recordsRead: read, now: .now)
    }
}
