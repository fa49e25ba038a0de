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
            return refuse(request, TokenAuthentication<Context>.unauthorized(.missing))
        }
        let principal: Principal
        do {
            principal = try await verifier.verify(String(authorization.dropFirst("Bearer ".count)))
        } catch {
            return refuse(request, TokenAuthentication<Context>.unauthorized(error))
        }
        guard !principal.roles.isDisjoint(with: Self.roles) else {
            return refuse(request, TokenAuthentication<Context>.forbidden(needing: Self.roles, principal))
        }
        return try await Principal.$current.withValue(principal) { try await next(request, context) }
    }

    /// The console shows every order: staff's view.
    static var roles: Set<Principal.Role> { [.staff, .admin] }

    /// The services' problem answer, or for a browser asking for a page, a page with the form
    /// that gives a token (same status and challenge).
    private func refuse(_ request: Request, _ problem: Response) -> Response {
        guard request.method == .get, (request.headers[.accept] ?? "").contains("text/html") else { return problem }
        var page = Response(
            status: problem.status, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
            body: .init(byteBuffer: ByteBuffer(string: SignInPage.render(
                back: request.uri.path,
                detail: problem.status == .forbidden
                    ? "the console shows every order: it needs the role staff or admin"
                    : "send a bearer token (Authorization: Bearer, or save one with the form below)"))))
        page.headers[.wwwAuthenticate] = problem.headers[.wwwAuthenticate]
        return page
    }
}
