/// Where in the log a reading starts (`orders events --offset`, `orders replay --offset`, the
/// console's live log), and the times those take. Pure parsing, no I/O: the callers turn a
/// `.timestamp` into offsets by asking Kafka (ListOffsets, `LogReader.offsets`) or the notifier.
public enum LogPosition: Equatable, Sendable {
    case beginning
    case end
    /// An offset, applied to each selected partition.
    case offset(Int64)
    /// Milliseconds since the epoch: each partition's first record at or after it.
    case timestamp(Int64)

    /// What the help texts call a time after `@`.
    public static let timeForms = "@TIMESTAMP_MS or @ISO-8601 time with a zone, as @1767225600000 or @2026-01-01T00:00:00Z"

    /// `beginning`, `end` (when `ends` allows them), a non-negative offset, or `@TIME` (see
    /// `TimeArgument.milliseconds`). `option` names the option in the errors.
    public static func parse(_ text: String, option: String, ends: Bool) throws(ArgumentProblem) -> LogPosition {
        if ends, text == "beginning" { return .beginning }
        if ends, text == "end" { return .end }
        if text.hasPrefix("@") {
            do throws(ArgumentProblem) {
                return .timestamp(try TimeArgument.milliseconds(text.dropFirst()))
            } catch {
                throw ArgumentProblem("\(option) \(text): \(error.message)")
            }
        }
        if let value = Int64(text), value >= 0 { return .offset(value) }
        throw ArgumentProblem(
            "\(option) must be \(ends ? "beginning, end, " : "")an offset (0 or more) or \(timeForms), not \(text.debugDescription)")
    }
}

/// Why an option's value was refused, in one line. `LogPosition.parse` names the option and the
/// value; `TimeArgument` only says what is wrong, and its callers name them.
public struct ArgumentProblem: Error, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A point in time as the CLI's options take it, in Kafka's unit: milliseconds since the epoch.
public enum TimeArgument {
    /// `1767225600000` (milliseconds since the epoch), or an ISO-8601 / RFC 3339 date-time with
    /// a zone: `2026-12-06T00:00:00Z`, `2026-12-06T01:00:00+01:00`, `2026-12-06T01:00:00+0100`,
    /// with or without a fraction of a second (`2026-12-06T00:00:00.250Z`). A time without a
    /// zone is refused rather than read as UTC or as local time (either guess would be silently
    /// wrong somewhere). Kafka's timestamps are whole milliseconds: a finer fraction rounds up,
    /// to the first millisecond at or after the time. Times before the epoch are refused. The
    /// error says what is wrong; the caller adds which option and value.
    public static func milliseconds(_ text: some StringProtocol) throws(ArgumentProblem) -> Int64 {
        let text = String(text)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            guard let value = Int64(text) else { throw ArgumentProblem("milliseconds out of range") }
            return value
        }
        var parser = DateTimeParser(text)
        guard let parsed = parser.parse() else {
            throw ArgumentProblem(
                "not milliseconds since the epoch nor an ISO-8601 time such as 2026-01-01T00:00:00Z or 2026-01-01T01:00:00.5+01:00")
        }
        switch parsed {
        case .failure(let problem): throw problem
        case .success(let milliseconds):
            guard milliseconds >= 0 else { throw ArgumentProblem("before 1970-01-01T00:00:00Z") }
            return milliseconds
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM|±HHMM|±HH)`; `T`/`Z` in either case. `nil` when the
/// text does not look like a date-time at all, a failure naming what is wrong when it almost does.
private struct DateTimeParser {
    let bytes: [UInt8]
    let text: String
    var index = 0

    init(_ text: String) {
        self.text = text
        bytes = Array(text.utf8)
    }

    mutating func number(_ digits: Int) -> Int64? {
        guard index + digits <= bytes.count else { return nil }
        var value: Int64 = 0
        for byte in bytes[index..<index + digits] {
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        index += digits
        return value
    }

    mutating func take(_ characters: String) -> Bool {
        guard index < bytes.count, characters.utf8.contains(bytes[index]) else { return false }
        index += 1
        return true
    }

    mutating func parse() -> Result<Int64, ArgumentProblem>? {
        guard let year = number(4), take("-"), let month = number(2), take("-"), let day = number(2) else { return nil }
        guard index < bytes.count else {
            return .failure(ArgumentProblem("a date without a time: give a time and a zone, as \(text)T00:00:00Z"))
        }
        guard take("Tt"), let hour = number(2), take(":"), let minute = number(2), take(":"), let second = number(2) else {
            return nil
        }
        // The fraction, in nanoseconds (digits past the ninth only round up).
        var nanoseconds: Int64 = 0
        var finer = false
        if take(".,") {
            var digits = 0
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                if digits < 9 { nanoseconds = nanoseconds * 10 + Int64(bytes[index] - 0x30) } else if bytes[index] != 0x30 { finer = true }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return .failure(ArgumentProblem("no digits after the decimal point")) }
            for _ in digits..<max(digits, 9) { nanoseconds *= 10 }
        }
        // The zone.
        var zoneSeconds: Int64 = 0
        if index == bytes.count {
            return .failure(ArgumentProblem("no time zone: add Z for UTC, or an offset such as +01:00"))
        } else if take("Zz") {
            zoneSeconds = 0
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let sign: Int64 = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            index += 1
            guard let zoneHours = number(2) else { return .failure(ArgumentProblem("the zone must be Z, ±HH:MM or ±HHMM")) }
            var zoneMinutes: Int64 = 0
            if index < bytes.count {
                _ = take(":")
                guard let minutes = number(2) else { return .failure(ArgumentProblem("the zone must be Z, ±HH:MM or ±HHMM")) }
                zoneMinutes = minutes
            }
            guard zoneHours <= 23, zoneMinutes <= 59 else { return .failure(ArgumentProblem("no such zone offset")) }
            zoneSeconds = sign * (zoneHours * 3600 + zoneMinutes * 60)
        } else {
            return .failure(ArgumentProblem("the zone must be Z, ±HH:MM or ±HHMM"))
        }
        guard index == bytes.count else { return .failure(ArgumentProblem("unexpected text after the zone")) }
        guard (1...12).contains(month), day >= 1, day <= Self.days(in: month, of: year) else {
            return .failure(ArgumentProblem("no such date"))
        }
        guard hour <= 23, minute <= 59, second <= 59 else {
            return .failure(ArgumentProblem("no such time of day (hours 00-23, minutes and seconds 00-59)"))
        }
        let seconds = Self.daysSinceEpoch(year: year, month: month, day: day) * 86_400 + hour * 3600 + minute * 60 + second - zoneSeconds
        let roundUp: Int64 = (nanoseconds % 1_000_000 != 0 || finer) ? 1 : 0
        return .success(seconds * 1000 + nanoseconds / 1_000_000 + roundUp)
    }

    static func days(in month: Int64, of year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's days_from_civil).
    static func daysSinceEpoch(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }
}
