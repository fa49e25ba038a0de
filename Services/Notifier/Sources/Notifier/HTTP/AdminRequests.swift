import Foundation
import ServiceHTTP

/// `POST /admin/replay`'s body: `{"offsets": {"<partition>": offset}}` or
/// `{"fromTimestamp": ms}`, and optionally `"resend": bool`.
public struct ReplayRequest: Equatable, Sendable {
    /// The largest offset or timestamp taken: 18 digits, as the OpenAPI document says.
    static let maxWhole: Int64 = 999_999_999_999_999_999

    var selection: ReplaySelection
    var resend: Bool

    static func parse(_ bytes: [UInt8], partitionCount: Int32) throws(NotifierProblem) -> ReplayRequest {
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            throw NotifierProblem(.validation, "the body must be a JSON object: {\"offsets\": {\"0\": 0}} or {\"fromTimestamp\": 1700000000000}, with \"resend\": true to send again")
        }
        if let unknown = object.keys.sorted().first(where: { !["offsets", "fromTimestamp", "resend"].contains($0) }) {
            throw NotifierProblem(.validation, "unknown field \(quoted(unknown)); expected offsets, fromTimestamp or resend")
        }
        var resend = false
        switch object["resend"] {
        case nil: break
        case .bool(let value)?: resend = value
        default: throw NotifierProblem(.validation, "resend must be true or false")
        }
        switch (object["offsets"], object["fromTimestamp"]) {
        case (let offsets?, nil):
            guard case .object(let positions) = offsets, !positions.isEmpty else {
                throw NotifierProblem(.validation, "offsets must be a non-empty object of partition to offset, as {\"0\": 0}")
            }
            var result: [Int32: Int64] = [:]
            for (key, value) in positions {
                guard let partition = wholeNumber(key), partition < Int64(partitionCount) else {
                    throw NotifierProblem(.validation, "offsets names partition \(quoted(key)); the topic has partitions 0 to \(partitionCount - 1)")
                }
                guard case .integer(let offset) = value, (0...maxWhole).contains(offset) else {
                    throw NotifierProblem(.validation, "the offset for partition \(partition) must be a whole number of at least 0")
                }
                result[Int32(partition)] = offset
            }
            return ReplayRequest(selection: .offsets(result), resend: resend)
        case (nil, let timestamp?):
            guard case .integer(let ms) = timestamp, (0...maxWhole).contains(ms) else {
                throw NotifierProblem(.validation, "fromTimestamp must be milliseconds since the epoch, a whole number of at least 0")
            }
            return ReplayRequest(selection: .fromTimestamp(ms), resend: resend)
        case (nil, nil):
            throw NotifierProblem(.validation, "give offsets or fromTimestamp")
        default:
            throw NotifierProblem(.validation, "give offsets or fromTimestamp, not both")
        }
    }

    static func wholeNumber(_ text: String) -> Int64? {
        guard !text.isEmpty, text.utf8.count <= 18, text.utf8.allSatisfy({ $0 >= 48 && $0 <= 57 }) else { return nil }
        return Int64(text)
    }
}

/// `POST /admin/dlq/redrive` takes no body, or an empty JSON object.
enum RedriveRequest {
    static func check(_ bytes: [UInt8]) throws(NotifierProblem) {
        guard !bytes.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) else { return }
        guard case .object(let object)? = try? JSONDecoder().decode(JSONValue.self, from: Data(bytes)), object.isEmpty else {
            throw NotifierProblem(.validation, "the body must be empty or {}")
        }
    }
}
