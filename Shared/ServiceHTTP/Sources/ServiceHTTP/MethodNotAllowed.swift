import HTTPTypes
import Hummingbird

/// Answers 405 with `Allow` for the methods a path does not serve (the router alone would
/// answer 404, as if the resource did not exist).
public enum MethodNotAllowed {
    static let candidates: [HTTPRequest.Method] = [.get, .head, .post, .put, .patch, .delete, .options, .trace, .connect, HTTPRequest.Method("QUERY")!]

    public static func register(_ router: Router<BasicRequestContext>, path: RouterPath, allowed: [HTTPRequest.Method]) {
        let allow = allowed.map(\.rawValue).joined(separator: ", ")
        for method in candidates where !allowed.contains(method) && !(method == .head && allowed.contains(.get)) {
            router.on(path, method: method) { _, _ in
                var response = ProblemResponse.make(
                    kind: "method-not-allowed", title: "This method is not allowed on this resource",
                    status: .methodNotAllowed, detail: "\(method.rawValue) is not allowed here; allowed: \(allow)")
                response.headers[.allow] = allow
                return response
            }
        }
    }
}
