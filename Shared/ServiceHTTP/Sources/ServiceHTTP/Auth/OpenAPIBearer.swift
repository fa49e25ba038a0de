import Foundation

/// A service's OpenAPI document as served when authentication is on: the bearer scheme
/// declared and required everywhere but the open routes (`OpenRoutes`), and
/// every other operation answering 401 (no valid token) and 403 (a token without the right).
public enum OpenAPIBearer {
    public static func document(_ json: String) -> String {
        guard var document = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any] else { return json }
        var components = document["components"] as? [String: Any] ?? [:]
        components["securitySchemes"] = [
            "bearerAuth": [
                "type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "A JWT signed with a configured key (AUTH_JWKS_FILE or AUTH_HS256_SECRET_FILE); roles in the roles claim",
            ] as [String: Any],
        ]
        document["components"] = components
        document["security"] = [["bearerAuth": [String]()]]
        var paths = document["paths"] as? [String: Any] ?? [:]
        for (path, value) in paths {
            guard var operations = value as? [String: Any] else { continue }
            for (method, value) in operations {
                guard var operation = value as? [String: Any], var responses = operation["responses"] as? [String: Any] else { continue }
                if OpenRoutes.contains(path) {
                    operation["security"] = [[String: Any]]()
                } else {
                    if responses["401"] == nil { responses["401"] = problem("No valid bearer token (missing, malformed, expired, wrongly signed)", challenge: true) }
                    if responses["403"] == nil { responses["403"] = problem("The token's roles do not allow this", challenge: false) }
                    operation["responses"] = responses
                }
                operations[method] = operation
            }
            paths[path] = operations
        }
        document["paths"] = paths
        guard let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        else { return json }
        return String(decoding: data, as: UTF8.self)
    }

    private static func problem(_ description: String, challenge: Bool) -> [String: Any] {
        var response: [String: Any] = [
            "description": description,
            "content": ["application/problem+json": ["schema": ["$ref": "#/components/schemas/Problem"]]],
        ]
        if challenge {
            response["headers"] = ["WWW-Authenticate": ["description": "Bearer, with error=\"invalid_token\" for a token that does not verify", "schema": ["type": "string"]]]
        }
        return response
    }
}
