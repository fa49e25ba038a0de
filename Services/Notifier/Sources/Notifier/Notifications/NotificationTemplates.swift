import Foundation
import Mustache

/// The notifications' wording: Mustache templates, one per kind. The first line a template
/// renders is the subject, the rest the text. The defaults below are overridden by files
/// `<kind>.mustache` in `NOTIFIER_TEMPLATES_DIR` (a kind without a file keeps its default).
public struct NotificationTemplates: Sendable {
    public enum LoadError: Error, CustomStringConvertible {
        case unreadable(path: String, reason: String)
        case invalid(name: String, reason: String)

        public var description: String {
            switch self {
            case .unreadable(let path, let reason): "NOTIFIER_TEMPLATES_DIR: cannot read \(path): \(reason)"
            case .invalid(let name, let reason): "template \(name) does not parse: \(reason)"
            }
        }
    }

    /// Plain text: nothing is HTML-escaped (a notification is not a web page).
    static let header = "{{% CONTENT_TYPE: TEXT}}\n"

    public static let defaults: [String: String] = [
        "order-placed": """
            We received your order {{orderId}}
            Hello {{customerId}}, thank you for your order {{orderId}}: {{itemCount}} item(s), {{total}} {{currency}} in all.
            {{#items}}
            - {{quantity}} x {{sku}} at {{unitPrice}} {{currency}}
            {{/items}}
            """,
        "order-confirmed": """
            Your order {{orderId}} is confirmed
            Hello {{customerId}}, your order {{orderId}} is confirmed; its total is {{total}} {{currency}}.
            """,
        "order-shipped": """
            Your order {{orderId}} is on its way
            Hello {{customerId}}, your order {{orderId}} left with {{carrier}}; the tracking number is {{trackingNumber}}.
            """,
        "order-delivered": """
            Your order {{orderId}} was delivered
            Hello {{customerId}}, your order {{orderId}} was delivered. Thank you for shopping with us.
            """,
        "order-cancelled": """
            Your order {{orderId}} was cancelled
            Hello {{customerId}}, your order {{orderId}} was cancelled: {{reason}}.
            """,
    ]

    let library: MustacheLibrary
    /// Which kinds come from the templates directory, for the start-up log.
    public let overridden: [String]

    /// The defaults, with the files of `directory` (if given) in their place.
    public init(directory: String? = nil) throws(LoadError) {
        var sources = Self.defaults
        var overridden: [String] = []
        if let directory {
            for kind in NotificationRules.kinds {
                let path = (directory as NSString).appendingPathComponent("\(kind).mustache")
                guard FileManager.default.fileExists(atPath: path) else { continue }
                do {
                    sources[kind] = try String(contentsOfFile: path, encoding: .utf8)
                    overridden.append(kind)
                } catch {
                    throw .unreadable(path: path, reason: "\(error.localizedDescription)")
                }
            }
        }
        var library = MustacheLibrary()
        for (name, source) in sources {
            do {
                try library.register(source.hasPrefix("{{%") ? source : Self.header + source, named: name)
            } catch {
                throw .invalid(name: name, reason: "\(error)")
            }
        }
        self.library = library
        self.overridden = overridden.sorted()
    }

    /// Subject (the first non-empty line) and text (the rest, trimmed).
    public func render(_ draft: NotificationRules.Draft) -> (subject: String, text: String) {
        Self.subjectAndText(library.render(draft.context.mapValues(\.mustacheValue), withTemplate: draft.template) ?? "", kind: draft.kind)
    }

    /// Splits a rendered template: the first line with more than white space is the subject
    /// (the line holding the first scalar that is not white space), everything after it the
    /// text, each without the white space (Unicode White_Space, a CR of a CRLF template
    /// included) at its ends. By Unicode scalar, as Foundation's `trimmingCharacters`, which
    /// was a tenth of the notifier's fold.
    static func subjectAndText(_ rendered: String, kind: String) -> (subject: String, text: String) {
        let scalars = rendered.unicodeScalars[...]
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return (kind, "") }
        let lineEnd = scalars[start...].firstIndex(of: "\n") ?? scalars.endIndex
        return (String(trimmed(scalars[start..<lineEnd])), String(trimmed(scalars[lineEnd...])))
    }

    private static func trimmed(_ scalars: Substring.UnicodeScalarView) -> Substring.UnicodeScalarView {
        guard let start = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
              let last = scalars.lastIndex(where: { !$0.properties.isWhitespace }) else {
            return scalars[scalars.endIndex...]
        }
        return scalars[start...last]
    }
}
