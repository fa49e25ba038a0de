import Hummingbird
import NIOCore
import ServiceHTTP

/// `GET /system` (the page), `GET /system/status` (what it polls, as JSON), `GET /try` (the
/// try page) and `POST /token` (the bearer token a browser passes through).
struct SystemController: Sendable {
    let source: any LogSource
    let api: any ServiceAPI
    let topicName: String
    let page = SystemPage()
    let tryPage = TryPage()

    func addRoutes(to router: Router<BasicRequestContext>) {
        router.get("/system") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: page.render(topic: topicName))))
        }
        router.get("/try") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: tryPage.render())))
        }
        router.get("/system/dead-letters") { request, _ in
            let body = await DeadLetterEntries.gather(source: source, api: api, authorization: CallerToken.authorization(request))
            return jsonResponse(body, headers: [.cacheControl: "no-store"])
        }
        router.get("/system/status") { request, _ in
            let status = await SystemStatus.gather(source: source, api: api, authorization: CallerToken.authorization(request))
            return jsonResponse(status, headers: [.cacheControl: "no-store"])
        }
        router.post("/token") { request, _ in await answer { try await CallerToken.save(request) } }
        for path in ["/system", "/system/status", "/system/dead-letters", "/try"] {
            MethodNotAllowed.register(router, path: RouterPath(path), allowed: [.get])
        }
        MethodNotAllowed.register(router, path: "/token", allowed: [.post])
    }
}
