import Foundation
import ServiceHTTP
import Testing

/// The document served with authentication on declares what the middleware does.
struct OpenAPIBearerTests {
    static let document = #"""
        {"openapi":"3.1.0","components":{"schemas":{"Problem":{"type":"object"}}},
         "paths":{"/health/live":{"get":{"responses":{"200":{"description":"live"}}}},
                  "/orders":{"post":{"responses":{"201":{"description":"placed"}}}},
                  "/admin/x":{"post":{"responses":{"401":{"description":"own"},"202":{"description":"ok"}}}}}}
        """#

    @Test func theSchemeIsDeclaredAndEveryGuardedOperationAnswers401And403() throws {
        let served = try #require(JSONSerialization.jsonObject(with: Data(OpenAPIBearer.document(Self.document).utf8)) as? [String: Any])
        let schemes = (served["components"] as? [String: Any])?["securitySchemes"] as? [String: [String: Any]]
        #expect(schemes?["bearerAuth"]?["scheme"] as? String == "bearer")
        #expect((served["security"] as? [[String: [String]]]) == [["bearerAuth": []]])
        let paths = try #require(served["paths"] as? [String: [String: [String: Any]]])
        #expect((paths["/health/live"]?["get"]?["security"] as? [Any])?.isEmpty == true)
        #expect(Set(((paths["/health/live"]?["get"]?["responses"]) as? [String: Any] ?? [:]).keys) == ["200"])
        #expect(Set(((paths["/orders"]?["post"]?["responses"]) as? [String: Any] ?? [:]).keys) == ["201", "401", "403"])
        let admin = (paths["/admin/x"]?["post"]?["responses"]) as? [String: [String: Any]]
        #expect(admin?["401"]?["description"] as? String == "own")
    }
}
