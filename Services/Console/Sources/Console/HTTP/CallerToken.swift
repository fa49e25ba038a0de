import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ServiceHTTP

/// The caller's bearer token, passed through to the services, which check it: the request's
/// own `Authorization` header (a script, curl), else the token a browser saved with
/// `POST /token` (a cookie only this site reads, never sent by another site's page). The
/// console checks no token itself: with the services open, nothing is needed.
enum CallerToken {
    static let cookieName = "console_token"

    static func authorization(_ request: Request) -> String? {
        if let header = request.headers[.authorization], !header.isEmpty { return header }
        guard let token = request.cookies[cookieName]?.value, !token.isEmpty else { return nil }
        return "Bearer " + token
    }

    /// `POST /token` with a form (`token`, and `back`, the page to return to): saves the token
    /// in the cookie, or forgets it when empty, and sends the browser back.
    static func save(_ request: Request) async throws -> Response {
        let body = try await request.body.collect(upTo: 16 * 1024)
        let form = URLComponents(string: "?" + String(buffer: body))?.queryItems ?? []
        func field(_ name: String) -> String {
            form.last { $0.name == name }?.value ?? ""
        }
        if let unknown = form.first(where: { !["token", "back"].contains($0.name) }) {
            throw ConsoleProblem(.validation, "unknown form field \(quoted(unknown.name)); this form takes token and back")
        }
        guard form.contains(where: { $0.name == "token" }) else {
            throw ConsoleProblem(.validation, "send a form with the field token (empty to forget the saved one)")
        }
        let token = field("token").trimmingCharacters(in: .whitespaces)
        // A JWT is base64url in three parts; anything else cannot be a bearer token.
        guard token.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "-_.~/=".contains($0)) }), token.count <= 8 * 1024 else {
            throw ConsoleProblem(.validation, "a bearer token is base64url text (A-Z a-z 0-9 - _ . ~ / =), at most 8 KiB")
        }
        var back = field("back")
        // Only a page of this console: a path, never another site (`//host` or `http:`).
        if !back.hasPrefix("/") || back.hasPrefix("//") || back.contains("\\") { back = "/system" }
        let cookie = token.isEmpty
            ? "\(cookieName)=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict"
            : "\(cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"
        return Response(status: .seeOther, headers: [.location: back, .setCookie: cookie])
    }
}
