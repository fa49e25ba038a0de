import KafkaSecurity

/// The credentials in a Java client's `sasl.jaas.config`, as Kafka's own tools and
/// `client.properties` files carry them:
/// `org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";`
/// Only the username/password login modules (PLAIN and SCRAM) are understood; anything else is
/// a configuration error that says so.
enum JaasConfig {
    static func credentials(_ text: String) throws(KafkaError) -> (username: String, password: String) {
        var scanner = Scanner(Array(text.unicodeScalars))
        let module = scanner.word()
        guard module.hasSuffix("PlainLoginModule") || module.hasSuffix("ScramLoginModule") else {
            throw KafkaError(.invalidConfiguration,
                             "sasl.jaas.config: only PlainLoginModule and ScramLoginModule (username and password) are supported, not \(module.isEmpty ? "an empty module" : module)")
        }
        guard ["required", "requisite", "sufficient", "optional"].contains(scanner.word()) else {
            throw KafkaError(.invalidConfiguration, "sasl.jaas.config: expected a control flag (required) after \(module)")
        }
        var options: [String: String] = [:]
        while true {
            scanner.skipSpaces()
            if scanner.atEnd || scanner.peek == ";" { break }
            let key = scanner.word(until: "=")
            guard !key.isEmpty, scanner.take("=") else {
                throw KafkaError(.invalidConfiguration, "sasl.jaas.config: expected key=value options after the control flag")
            }
            guard let value = scanner.value() else {
                throw KafkaError(.invalidConfiguration, "sasl.jaas.config: the value of \(key) is not closed")
            }
            options[key] = value
        }
        guard let username = options["username"], let password = options["password"] else {
            throw KafkaError(.invalidConfiguration, "sasl.jaas.config: \(module) needs username and password")
        }
        return (username, password)
    }

    /// A cursor over the text's scalars.
    private struct Scanner {
        let scalars: [Unicode.Scalar]
        var index = 0

        init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

        var atEnd: Bool { index >= scalars.count }
        var peek: Unicode.Scalar? { atEnd ? nil : scalars[index] }

        mutating func skipSpaces() {
            while let c = peek, c.properties.isWhitespace { index += 1 }
        }

        mutating func take(_ c: Unicode.Scalar) -> Bool {
            guard peek == c else { return false }
            index += 1
            return true
        }

        /// The next run of scalars up to a space, `;` or `stop`.
        mutating func word(until stop: Unicode.Scalar = " ") -> String {
            skipSpaces()
            var out = String.UnicodeScalarView()
            while let c = peek, !c.properties.isWhitespace, c != ";", c != stop {
                out.append(c)
                index += 1
            }
            return String(out)
        }

        /// A quoted value (`\"` and `\\` escaped) or a bare one; nil for an unclosed quote.
        mutating func value() -> String? {
            guard take("\"") else { return word() }
            var out = String.UnicodeScalarView()
            while let c = peek {
                index += 1
                if c == "\"" { return String(out) }
                if c == "\\", let next = peek {
                    index += 1
                    out.append(next)
                } else {
                    out.append(c)
                }
            }
            return nil
        }
    }
}
