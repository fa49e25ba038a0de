import NIOCore
import SQLStore
import Testing

/// COPY's text format, as the projection's large batches send their rows to PostgreSQL.
struct CopyTextTests {
    func text(_ value: SQLValue) -> String {
        var rows = CopyRows()
        rows.appendRow([value])
        return String(String(buffer: rows.buffer).dropLast())  // the row's newline
    }

    @Test func integersAreWrittenInDecimal() {
        for value: Int64 in [0, 7, -7, 10, 1_800_000_000_123, .max, .min] {
            #expect(text(.int(value)) == String(value))
        }
    }

    @Test func nullAndPlainTextAreWrittenAsTheyAre() {
        #expect(text(.null) == "\\N")
        #expect(text(.text("")) == "")
        #expect(text(.text("o'1; DROP TABLE x -- ünïcödé")) == "o'1; DROP TABLE x -- ünïcödé")
    }

    @Test func separatorsAndBackslashesAreEscaped() {
        #expect(text(.text("a\tb\nc\rd\\e")) == "a\\tb\\nc\\rd\\\\e")
        #expect(text(.text("{\"note\":\"\\\\N\"}")) == "{\"note\":\"\\\\\\\\N\"}")
    }

    @Test func rowsSeparateFieldsWithTabsAndEndWithNewlines() {
        var rows = CopyRows()
        rows.append("o-1")
        rows.append(Int64(-3))
        rows.append(nil as String?)
        rows.append(Int64?.some(7))
        rows.endRow()
        Array("a\tb".utf8).withUnsafeBytes { rows.append(utf8: $0) }
        rows.appendNull()
        rows.endRow()
        #expect(String(buffer: rows.buffer) == "o-1\t-3\t\\N\t7\na\\tb\t\\N\n")
        #expect(rows.count == 2)
    }
}
