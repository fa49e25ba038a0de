import ServiceHTTP
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Health, metrics, status and the OpenAPI document.
struct OperationsController<Executor: CommandExecutor>: Sendable {
    let processor: Executor
    let metrics: CommandMetrics
    /// Whether the routes require bearer tokens (the OpenAPI document says so).
    var bearerAuthentication = false

    func addRoutes(to router: Router<BasicRequestContext>) {
        OperationRoutes.add(
            to: router, openAPIDocument: OpenAPIDocument.json, bearerAuthentication: bearerAuthentication, metrics: metrics.registry,
            notReady: { [processor] in await Self.notReadyReason(processor) }, unavailable: { Problem(.unavailable, $0).response })
        router.get("/status") { _, _ in
            let status = StatusBody(ready: await processor.isReady, ownerMap: await processor.ownerMap, partitions: await processor.partitions)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: jsonBuffer(status)))
        }
        MethodNotAllowed.register(router, path: "/status", allowed: [.get])
    }

    /// Nil when ready; otherwise which partitions are not serving yet, and why.
    static func notReadyReason(_ processor: Executor) async -> String? {
        if await processor.isReady { return nil }
        let partitions = await processor.partitions
        return partitions.isEmpty
            ? "not in the consumer group yet"
            : partitions.filter { !$0.serving || $0.stopped != nil }
                .map { "partition \($0.partition): \($0.stopped.map { "stopped at \($0)" } ?? "folded \($0.nextOffset) of \($0.target)")" }
                .joined(separator: "; ")
    }

    struct StatusBody: Encodable {
        var ready: Bool
        var generation: Int32
        var owners: [String: String]
        var partitions: [PartitionStatus]

        init(ready: Bool, ownerMap: OwnerMap, partitions: [PartitionStatus]) {
            self.ready = ready
            self.generation = ownerMap.generation
            self.owners = Dictionary(uniqueKeysWithValues: ownerMap.owners.map { ("\($0.key)", $0.value) })
            self.partitions = partitions
        }
    }
}
