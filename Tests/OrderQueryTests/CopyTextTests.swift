import NIOCore
import SQLStore
import Testing

/// COPY's text format, as the projection's large batches send their rows to PostgreSQL.
struct CopyTextTests {
    func text(_ value: SQLValue) -> String {
        var buffer = ByteBuffer()
        PostgresExecutor.appendCopyText(value, to: &buffer)
        return String(buffer: buffer)
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
}
