/// The shapes identifiers and texts must have before a command is even decided. Shared by
/// the HTTP services and the CLI so every entry point refuses the same input the same way.
public enum FieldLimits {
    /// Order, customer ids and SKUs: 1...64 characters of `A-Z a-z 0-9 . _ : -`. Safe in URLs,
    /// log lines and SQL identifiers' neighbourhood, and enough for UUIDs.
    public static let maxIdentifierLength = 64
    public static let maxTextLength = 500

    public static func isValidIdentifier(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= maxIdentifierLength else { return false }
        return text.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "_"),
                 UInt8(ascii: ":"), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    /// An ISO 4217 code: three upper-case letters.
    public static func isValidCurrency(_ text: String) -> Bool {
        text.utf8.count == 3 && text.utf8.allSatisfy { (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains($0) }
    }

    /// Free text (carrier, tracking number, cancel reason): 1...500 Unicode scalars (as JSON
    /// Schema's maxLength counts), no control characters (Unicode category Cc).
    public static func isValidText(_ text: String, maxLength: Int = maxTextLength) -> Bool {
        guard !text.isEmpty, text.unicodeScalars.count <= maxLength else { return false }
        return !text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }
}
