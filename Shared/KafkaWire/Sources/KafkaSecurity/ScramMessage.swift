import Foundation

/// SCRAM's message syntax (RFC 5802 section 7): comma-separated `k=value` attributes, and the
/// escaping of user names (`=` as `=3D`, `,` as `=2C`).
struct ScramMessage {
    /// Attributes in order; a repeated key keeps its first value.
    let attributes: [(key: Character, value: String)]

    init(_ text: String) throws(SaslError) {
        var attributes: [(Character, String)] = []
        for part in text.split(separator: ",", omittingEmptySubsequences: false) {
            guard part.count >= 2, let key = part.first, key.isLetter, part[part.index(after: part.startIndex)] == "=" else {
                throw SaslError(.malformedMessage, "SCRAM attribute is not k=value")
            }
            attributes.append((key, String(part.dropFirst(2))))
        }
        self.attributes = attributes
    }

    subscript(key: Character) -> String? {
        attributes.first(where: { $0.key == key })?.value
    }

    func required(_ key: Character, in message: String) throws(SaslError) -> String {
        guard let value = self[key] else { throw SaslError(.malformedMessage, "\(message) has no \(key)= attribute") }
        return value
    }

    static func escape(username: String) -> String {
        username.replacingOccurrences(of: "=", with: "=3D").replacingOccurrences(of: ",", with: "=2C")
    }

    static func unescape(username: String) throws(SaslError) -> String {
        var result = ""
        var index = username.startIndex
        while index < username.endIndex {
            let character = username[index]
            if character == "=" {
                let code = username[index...].prefix(3)
                switch code {
                case "=3D": result.append("=")
                case "=2C": result.append(",")
                default: throw SaslError(.malformedMessage, "user name has a bad escape")
                }
                index = username.index(index, offsetBy: 3)
            } else {
                result.append(character)
                index = username.index(after: index)
            }
        }
        return result
    }
}
