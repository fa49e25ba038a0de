import Testing

@testable import Console

/// The live log's position (each event's SSE id, sent back as Last-Event-ID).
@Suite struct StreamCursorTests {
    @Test func writesAndReadsPartitionOffsetPairsInPartitionOrder() throws {
        var cursor = StreamCursor([2: 0, 0: 12])
        #expect(cursor.description == "0:12,2:0")
        cursor.sent(partition: 2, offset: 7)
        #expect(cursor.description == "0:12,2:8")
        #expect(try StreamCursor.parse(cursor.description) == cursor)
        #expect(cursor.start(of: 1) == 0, "a partition the cursor does not name starts at its beginning")
        #expect(try StreamCursor.parse("") == StreamCursor())
    }

    @Test func malformedCursorsAreRefusedNamingThePart() {
        for text in ["0", "0:", ":1", "a:1", "0:b", "-1:0", "0:-1", "0:1,,1:2", "0:1,0:2", "0:1:2", " 0:1", "9999999999:0"] {
            #expect(throws: StreamCursor.ParseError.self, "\(text)") { try StreamCursor.parse(text) }
        }
        #expect(throws: StreamCursor.ParseError.tooLong) { try StreamCursor.parse(String(repeating: "0:1,", count: 5_000)) }
    }
}
