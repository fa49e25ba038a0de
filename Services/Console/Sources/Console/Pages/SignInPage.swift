import Mustache

/// What a browser gets instead of a page when the console requires a token and has none
/// that verifies: why, and a form that saves one (`POST /token`) and returns to the page.
enum SignInPage {
    private static let library = PageLayout.library(["sign-in": template])

    static func render(back: String, detail: String) -> String {
        var values: [String: Any] = ["title": "Sign in", "heading": "Sign in", "back": back, "detail": detail]
        values.merge(PageLayout.navigation(.signIn)) { $1 }
        return library.render(values, withTemplate: "sign-in") ?? ""
    }

    static let template = """
        {{> head}}
        {{> header}}
        <main id="sign-in">
        <p class="problem" role="alert">{{detail}}</p>
        <p>The services require bearer tokens, and so does the console. Give a token with the role staff or admin
        (with <code>orders up --auth</code>: the staff token it printed, or <code>orders token --staff</code>).</p>
        <form method="post" action="/token">
        <input type="hidden" name="back" value="{{back}}">
        <label for="bearer">Bearer token<input id="bearer" name="token" type="password" size="40" required></label>
        <button type="submit">Continue</button>
        </form>
        </main>
        </body>
        </html>
        """
}
