import Events
import Foundation

/// Records as JSON lines: `{"key": "...", "headers": [["name", "value"], ...], "value": "<body>"}`.
/// The body is kept as a string so its exact bytes are compared. Shared with the Python
/// interop suite, which validates each body against its JSON Schema.
enum FixtureFile {
    struct Line: Codable {
        var key: String
        var headers: [[String]]
        var value: String
    }

    static func read(_ name: String) throws -> [EventRecord] {
        let text = try String(contentsOf: fixturesDirectory.appendingPathComponent(name), encoding: .utf8)
        return try text.split(separator: "\n").map { line in
            let decoded = try JSONDecoder().decode(Line.self, from: Data(line.utf8))
            return EventRecord(
                key: Array(decoded.key.utf8), value: Array(decoded.value.utf8),
                headers: decoded.headers.map { EventRecord.Header($0[0], $0[1]) })
        }
    }

    static func render(_ records: [EventRecord]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try records.map { record in
            let line = Line(
                key: record.keyString ?? "",
                headers: record.headers.map { [$0.name, String(decoding: $0.value ?? [], as: UTF8.self)] },
                value: String(decoding: record.value ?? [], as: UTF8.self))
            return String(decoding: try encoder.encode(line), as: UTF8.self)
        }.joined(separator: "\n") + "\n"
    }
}
