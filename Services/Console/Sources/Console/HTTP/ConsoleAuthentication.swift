import HTTPTypes
import Hummingbird
import NIOCore
import ServiceHTTP

/// With authentication configured (the services' AUTH_* settings), the console itself requires
/// a verified token with the role `staff` or `admin`: it reads the log straight from Kafka, so
/// without this it would show every order to anyone. The token comes as the services take it
/// (`Authorization: Bearer`) or from the cookie `POST /token` saves, and is then passed through
/// to the services, which check it again. Open: health, metrics, the OpenAPI document, and
/// `POST /token` (how a browser gives one). A page asked for without a valid token answers 401
/// with a form to give one; any other route, a problem.
struct ConsoleAuthentication<Context: RequestContext>: RouterMiddleware {
    let verifier: TokenVerifier

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if OpenRoutes.contains(path) || path == "/token" { return try await next(request, context) }
        guard let authorization = CallerToken.authorization(request), authorization.hasPrefix("Bearer ") else {
            return refuse(request, status: .unauthorized, detail: "send a bearer token (Authorization: Bearer, or save one with POST /token)")
        }
        let principal: Principal
        do {
            principal = try await verifier.verify(String(authorization.dropFirst("Bearer ".count)))
        } catch {
            return refuse(request, status: .unauthorized, detail: error.description)
        }
        guard !principal.roles.isDisjoint(with: [.staff, .admin]) else {
            return refuse(request, status: .forbidden, detail: "the console shows every order: it needs the role staff or admin")
        }
        return try await Principal.$current.withValue(principal) { try await next(request, context) }
    }

    private func refuse(_ request: Request, status: HTTPResponse.Status, detail: String) -> Response {
        let wantsPage = request.method == .get && (request.headers[.accept] ?? "").contains("text/html")
        var response: Response
        if wantsPage {
            let html = SignInPage.render(back: request.uri.path, detail: detail)
            response = Response(
                status: status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                body: .init(byteBuffer: ByteBuffer(string: html)))
        } else if status == .forbidden {
            response = ProblemResponse.make(kind: "forbidden", title: "The token does not allow this", status: status, detail: detail)
        } else {
            response = ProblemResponse.make(kind: "unauthorized", title: "A valid bearer token is required", status: status, detail: detail)
        }
        if status == .unauthorized { response.headers[.wwwAuthenticate] = "Bearer realm=\"orders\"" }
        return response
    }
}
