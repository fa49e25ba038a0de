import HTTPTypes
import Hummingbird
import HummingbirdAuth

/// The routes that need no token: probes, metrics, the API's own description.
public enum OpenRoutes {
    public static func contains(_ path: String) -> Bool {
        path.hasPrefix("/health/") || path == "/metrics" || path == "/openapi.json"
    }
}

/// Requires a verified bearer JWT on every route but the open ones (`/health/*`, `/metrics`,
/// `/openapi.json`), and runs the handler with its `Principal.current`:
/// - no token, or one that does not verify: 401 with `WWW-Authenticate: Bearer` and a problem;
/// - `/admin/` routes: the role `admin`, or `ADMIN_TOKEN` itself (checked by the routes, as
///   without authentication);
/// - the operations routes a service names (`staffOnly`: status, stats, projection): `staff`;
/// - every other route: the role `customer` or `staff`, else 403. What a customer may see of
///   an order is each route's own check (`Principal.scope`).
public struct TokenAuthentication<Context: RequestContext>: RouterMiddleware {
    let verifier: TokenVerifier
    let adminToken: String?
    let staffOnly: Set<String>

    public init(verifier: TokenVerifier, adminToken: String?, staffOnly: Set<String>) {
        self.verifier = verifier
        self.adminToken = adminToken
        self.staffOnly = staffOnly
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let path = request.uri.path
        if OpenRoutes.contains(path) { return try await next(request, context) }
        let isAdminRoute = path.hasPrefix("/admin/")
        guard let token = request.headers.bearer?.token else { return Self.unauthorized(.missing) }
        if isAdminRoute, AdminAuthorization.isAdminToken(token, adminToken) { return try await next(request, context) }
        let principal: Principal
        do {
            principal = try await verifier.verify(token)
        } catch {
            return Self.unauthorized(error)
        }
        let needed: Set<Principal.Role> = isAdminRoute ? [.admin] : staffOnly.contains(path) ? [.staff] : [.customer, .staff]
        if principal.roles.isDisjoint(with: needed) { return Self.forbidden(needing: needed, principal) }
        return try await Principal.$current.withValue(principal) { try await next(request, context) }
    }

    /// 403 `forbidden`: the token verified, but has none of the roles `needed`.
    public static func forbidden(needing needed: Set<Principal.Role>, _ principal: Principal) -> Response {
        ProblemResponse.make(
            kind: "forbidden", title: "The token does not allow this", status: .forbidden,
            detail: "this route needs the role \(needed.map(\.rawValue).sorted().joined(separator: " or ")); "
                + "the token has \(principal.roles.isEmpty ? "none" : principal.roles.map(\.rawValue).sorted().joined(separator: ", "))")
    }

    /// 401 `unauthorized` with `WWW-Authenticate: Bearer` (and the RFC 6750 error code).
    public static func unauthorized(_ error: AuthenticationError) -> Response {
        var response = ProblemResponse.make(
            kind: "unauthorized", title: "A valid bearer token is required", status: .unauthorized, detail: error.description)
        var challenge = "Bearer realm=\"orders\""
        if let code = error.bearerError { challenge += ", error=\"\(code)\"" }
        response.headers[.wwwAuthenticate] = challenge
        return response
    }
}

extension Router {
    /// Adds `TokenAuthentication` in front of every route when a verifier is given (nil:
    /// authentication off, every route open as before).
    public func requireTokens(_ verifier: TokenVerifier?, adminToken: String?, staffOnly: Set<String>) {
        guard let verifier else { return }
        add(middleware: TokenAuthentication<Context>(verifier: verifier, adminToken: adminToken, staffOnly: staffOnly))
    }
}

extension TokenVerifier {
    /// The verifier of a service's settings, nil when authentication is off.
    public static func make(_ settings: AuthenticationSettings?) async throws -> TokenVerifier? {
        guard let settings else { return nil }
        return try await TokenVerifier(settings)
    }
}
