import HTTPTypes
import Hummingbird
import NIOCore
import Prometheus

/// The routes every service answers the same way: `/health/live`, `/health/ready`, `/metrics`
/// (Prometheus text) and `/openapi.json`, each answering 405 to other methods.
public enum OperationRoutes {
    /// `notReady`: why the instance is not ready, nil when it is; `unavailable` makes the
    /// service's own 503 problem of it. With `bearerAuthentication` the document declares the
    /// bearer scheme and the 401 and 403 answers (`OpenAPIBearer`).
    public static func add(
        to router: Router<BasicRequestContext>, openAPIDocument: String, bearerAuthentication: Bool, metrics: PrometheusCollectorRegistry,
        notReady: @escaping @Sendable () async -> String?, unavailable: @escaping @Sendable (String) -> Response
    ) {
        let openAPIDocument = bearerAuthentication ? OpenAPIBearer.document(openAPIDocument) : openAPIDocument
        // Fixed bodies, not encoded per request: probes call these often, and /health/live is
        // the benchmarks' peer (an answer with no work behind it).
        router.get("/health/live") { _, _ in fixedJSON(#"{"status":"live"}"#) }
        router.get("/health/ready") { _, _ in
            if let reason = await notReady() { return unavailable("not ready: \(reason)") }
            return fixedJSON(#"{"status":"ready"}"#)
        }
        router.get("/metrics") { _, _ in
            var buffer: [UInt8] = []
            metrics.emit(into: &buffer)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: buffer)))
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        }
        for path in ["/health/live", "/health/ready", "/metrics", "/openapi.json"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
    }

    private static func fixedJSON(_ text: String) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
