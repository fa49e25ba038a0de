import Testing

@testable import OrderLog

/// `--offset` (orders events, orders replay) and `--up-to-timestamp` (orders rebuild): offsets,
/// milliseconds and ISO-8601 times, parsed without any I/O.
@Suite struct LogPositionTests {
    /// 2026-12-06T00:00:00Z in milliseconds since the epoch (20,793 days).
    static let december6: Int64 = 1_796_515_200_000

    @Test func offsetsAndEndsParse() throws {
        #expect(try LogPosition.parse("beginning", option: "--offset", ends: true) == .beginning)
        #expect(try LogPosition.parse("end", option: "--offset", ends: true) == .end)
        #expect(try LogPosition.parse("0", option: "--offset", ends: true) == .offset(0))
        #expect(try LogPosition.parse("40", option: "--offset", ends: false) == .offset(40))
        #expect(try LogPosition.parse("@1767225600000", option: "--offset", ends: true) == .timestamp(1_767_225_600_000))
        #expect(try LogPosition.parse("@0", option: "--offset", ends: false) == .timestamp(0))
    }

    @Test func isoTimesParseWithAZone() throws {
        let cases: [(String, Int64)] = [
            ("2026-12-06T00:00:00Z", Self.december6),
            ("2026-12-06t00:00:00z", Self.december6),
            ("2026-12-06T01:00:00+01:00", Self.december6),
            ("2026-12-06T01:00:00+0100", Self.december6),
            ("2026-12-06T01:00:00+01", Self.december6),
            ("2026-12-05T19:30:00-04:30", Self.december6),
            ("2026-12-06T00:00:00.250Z", Self.december6 + 250),
            ("2026-12-06T00:00:00.5Z", Self.december6 + 500),
            ("2026-12-06T00:00:00,5Z", Self.december6 + 500),
            ("2026-12-06T00:00:00.123456789Z", Self.december6 + 124),  // finer than a millisecond: rounds up
            ("2026-12-06T00:00:00.000000Z", Self.december6),
            ("2026-12-06T00:00:00.0000000001Z", Self.december6 + 1),
            ("1970-01-01T00:00:00Z", 0),
            ("1970-01-01T01:00:00+01:00", 0),
            ("2024-02-29T12:00:00Z", 1_709_208_000_000),  // a leap day
            ("2000-03-01T00:00:00Z", 951_868_800_000),    // after 2000's leap day
            ("2026-01-01T00:00:00Z", 1_767_225_600_000),  // the @TIMESTAMP_MS of the help texts
        ]
        for (text, milliseconds) in cases {
            #expect(try TimeArgument.milliseconds(text) == milliseconds, "\(text)")
            #expect(try LogPosition.parse("@" + text, option: "--offset", ends: true) == .timestamp(milliseconds), "\(text)")
        }
        #expect(try TimeArgument.milliseconds("1767225600000") == 1_767_225_600_000)
    }

    @Test func aTimeWithoutAZoneIsRefusedAndSaysWhy() {
        #expect(throws: ArgumentProblem.self) { try TimeArgument.milliseconds("2026-12-06T00:00:00") }
        do throws(ArgumentProblem) {
            _ = try LogPosition.parse("@2026-12-06T00:00:00", option: "--offset", ends: true)
            Issue.record("a time without a zone parsed")
        } catch {
            #expect(error.message.hasPrefix("--offset @2026-12-06T00:00:00: "), "\(error)")
            #expect(error.message.contains("no time zone: add Z"), "\(error)")
        }
        do throws(ArgumentProblem) {
            _ = try TimeArgument.milliseconds("2026-12-06")
            Issue.record("a date without a time parsed")
        } catch {
            #expect(error.message.contains("2026-12-06T00:00:00Z"), "\(error)")
        }
    }

    @Test func badValuesAreRefusedNamingTheOption() {
        for text in [
            "soon", "-1", "", "@", "@x", "@yesterday", "@-5", "@2026-13-01T00:00:00Z", "@2026-02-29T00:00:00Z",
            "@2026-04-31T00:00:00Z", "@2026-12-06T24:00:00Z", "@2026-12-06T00:60:00Z", "@2026-12-06T00:00:60Z",
            "@2026-12-06T00:00:00+24:00", "@2026-12-06T00:00:00+01:60", "@2026-12-06T00:00:00.Z", "@2026-12-06T00:00:00Zjunk",
            "@2026-12-06T00:00:00 UTC", "@2026-12-06 00:00:00Z", "@26-12-06T00:00:00Z", "@2026-12-6T00:00:00Z",
            "@1969-12-31T23:59:59Z", "@1970-01-01T00:00:00+00:01", "@99999999999999999999",
        ] {
            #expect(throws: ArgumentProblem.self, "\(text)") { try LogPosition.parse(text, option: "--offset", ends: true) }
            do throws(ArgumentProblem) {
                _ = try LogPosition.parse(text, option: "--offset", ends: true)
            } catch {
                #expect(error.message.hasPrefix("--offset"), "\(text): \(error)")
                #expect(!error.message.contains("\n"), "\(text): \(error)")
            }
        }
        // Only orders events starts at the beginning or the end.
        #expect(throws: ArgumentProblem.self) { try LogPosition.parse("beginning", option: "--offset", ends: false) }
        #expect(throws: ArgumentProblem.self) { try LogPosition.parse("end", option: "--offset", ends: false) }
    }
}
