import ArgumentParser
import Foundation
import KafkaWire

/// An environment variable's value; empty counts as unset.
public func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
}

/// An integer option in a range; the error names the flag and the variable.
public func number<T: FixedWidthInteger>(_ text: String, _ name: String, _ range: ClosedRange<T>) throws -> T {
    guard let value = T(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
        throw ValidationError("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text.debugDescription)")
    }
    return value
}

/// `--kafka-bootstrap-servers` / `KAFKA_BOOTSTRAP_SERVERS`: host:port[,host:port...].
public func bootstrapServersOption(_ text: String) throws -> [BrokerAddress] {
    do {
        return try BrokerAddress.list(text)
    } catch {
        throw ValidationError("--kafka-bootstrap-servers / KAFKA_BOOTSTRAP_SERVERS: \(error)")
    }
}

/// `--http-listen` / `HTTP_LISTEN`: host:port.
public func httpListenOption(_ text: String) throws -> BrokerAddress {
    guard let listen = BrokerAddress(text) else {
        throw ValidationError("--http-listen / HTTP_LISTEN must be host:port, not \(text.debugDescription)")
    }
    return listen
}

/// A topic name option: 1 to 249 characters (Kafka's limit); `name` is its flag and variable.
public func topicOption(_ text: String, _ name: String) throws -> String {
    guard !text.isEmpty, text.count <= 249 else { throw ValidationError("\(name) must be 1 to 249 characters") }
    // Kafka's own rule for topic names: a broker refuses any other, later and less clearly.
    let legal = text.unicodeScalars.allSatisfy {
        ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || "._-".unicodeScalars.contains($0)
    }
    guard legal, text != ".", text != ".." else {
        throw ValidationError("\(name) must be letters, digits, '.', '_' and '-' (not . or ..), not \(text.debugDescription)")
    }
    return text
}
