import Foundation
import Logging

/// `DATABASE_URL`: `sqlite:PATH` or `postgres://user:pass@host:port/db`, the latter with
/// libpq's TLS parameters (`?sslmode=verify-full&sslrootcert=FILE`: `PostgresTLS`).
public enum DatabaseURL: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case postgres(Postgres)

    public struct Postgres: Sendable, Equatable {
        public var host: String
        public var port: Int
        public var user: String
        public var password: String?
        public var database: String?
        public var tls: PostgresTLS

        public init(
            host: String, port: Int, user: String, password: String?, database: String?,
            tls: PostgresTLS = PostgresTLS(mode: .prefer, verification: .none)
        ) {
            self.host = host
            self.port = port
            self.user = user
            self.password = password
            self.database = database
            self.tls = tls
        }
    }

    public init(_ text: String) throws(DatabaseError) {
        if text.hasPrefix("sqlite:") {
            var path = String(text.dropFirst("sqlite:".count))
            if path.hasPrefix("//") { path = String(path.dropFirst(2)) }
            guard !path.isEmpty else { throw .badURL("sqlite: needs a file path, as in sqlite:./.orders/query.sqlite") }
            self = .sqlite(path: path)
            return
        }
        guard let components = URLComponents(string: text),
              components.scheme == "postgres" || components.scheme == "postgresql"
        else {
            throw .badURL("expected sqlite:PATH or postgres://user:password@host:port/database, got \(Self.masked(text))")
        }
        guard let host = components.host, !host.isEmpty else { throw .badURL("no host in \(Self.masked(text))") }
        guard let user = components.user, !user.isEmpty else { throw .badURL("no user in \(Self.masked(text))") }
        let database = components.path.split(separator: "/").first.map(String.init)
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] { parameters[item.name] = item.value ?? "" }
        self = .postgres(Postgres(
            host: host, port: components.port ?? 5432, user: user.removingPercentEncoding ?? user,
            password: components.password.map { $0.removingPercentEncoding ?? $0 }, database: database,
            tls: try PostgresTLS(parameters: parameters)))
    }

    /// The URL with its password masked, for logs.
    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite:\(path)"
        case .postgres(let url):
            "postgres://\(url.user)\(url.password == nil ? "" : ":***")@\(url.host):\(url.port)/\(url.database ?? "")"
                + (url.tls.summary.isEmpty ? "" : "?" + url.tls.summary)
        }
    }

    private static func masked(_ text: String) -> String {
        guard var components = URLComponents(string: text) else { return text }
        if components.password != nil { components.password = "***" }
        components.queryItems = components.queryItems?.map { $0.name == "sslpassword" ? URLQueryItem(name: $0.name, value: "***") : $0 }
        return components.string ?? text
    }

    public func open(logger: Logger) async throws -> any SQLDatabase {
        switch self {
        case .sqlite(let path): try await SQLiteDatabase.open(path: path, logger: logger)
        case .postgres(let url): try await PostgresDatabase.open(url: url, logger: logger)
        }
    }
}
