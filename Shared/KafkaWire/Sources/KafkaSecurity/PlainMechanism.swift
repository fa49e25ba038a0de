/// SASL PLAIN (RFC 4616): one message, `[authzid] NUL authcid NUL passwd`. Only safe over TLS.
public enum PlainMechanism {
    public static func clientMessage(username: String, password: String) -> [UInt8] {
        [0] + Array(username.utf8) + [0] + Array(password.utf8)
    }

    /// Splits a client message into user and password. An authorization id, when given, must
    /// be the user itself (Kafka refuses acting as another user the same way).
    public static func parse(_ message: [UInt8]) throws(SaslError) -> (username: String, password: String) {
        let fields = message.split(separator: 0, omittingEmptySubsequences: false)
        guard fields.count == 3,
            let authzid = String(validating: fields[0], as: UTF8.self),
            let username = String(validating: fields[1], as: UTF8.self),
            let password = String(validating: fields[2], as: UTF8.self),
            !username.isEmpty, !password.isEmpty
        else {
            throw SaslError(.malformedMessage, "PLAIN message is not authzid NUL user NUL password")
        }
        guard authzid.isEmpty || authzid == username else {
            throw SaslError(.invalidCredentials, "authorization id differs from the user name")
        }
        return (username, password)
    }
}
