import ServiceKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Health, metrics, status and the OpenAPI document.
struct OperationsController<Executor: CommandExecutor>: Sendable {
    let processor: Executor
    let metrics: CommandMetrics

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/health/live") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"live"}"#)))
        }
        router.get("/health/ready") { _, _ in
            let ready = await processor.isReady
            if ready {
                return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: #"{"status":"ready"}"#)))
            }
            let partitions = await processor.partitions
            let detail = partitions.isEmpty
                ? "not in the consumer group yet"
                : partitions.filter { !$0.serving || $0.stopped != nil }
                    .map { "partition \($0.partition): \($0.stopped.map { "stopped at \($0)" } ?? "folded \($0.nextOffset) of \($0.target)")" }
                    .joined(separator: "; ")
            return Problem(.unavailable, "not ready: \(detail)").response
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            metrics.registry.emit(into: &buffer)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/status") { _, _ in
            let status = StatusBody(ready: await processor.isReady, ownerMap: await processor.ownerMap, partitions: await processor.partitions)
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: jsonBuffer(status)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
        }
        for path in ["/health/live", "/health/ready", "/metrics", "/status", "/openapi.json"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
    }

    struct StatusBody: Encodable {
        var ready: Bool
        var generation: Int32
        var owners: [String: String]
        var partitions: [CommandProcessor.PartitionStatus]

        init(ready: Bool, ownerMap: OwnerMap, partitions: [CommandProcessor.PartitionStatus]) {
            self.ready = ready
            self.generation = ownerMap.generation
            self.owners = Dictionary(uniqueKeysWithValues: ownerMap.owners.map { ("\($0.key)", $0.value) })
            self.partitions = partitions
        }
    }
}
