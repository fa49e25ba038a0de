import Foundation
import Logging
import NIOCore
import SQLStore
import Testing

/// COPY's binary format, as the projection's large batches send their rows to PostgreSQL.
struct BinaryCopyTests {
    @Test func aRowIsItsFieldCountThenEachFieldsLengthAndBytes() {
        var rows = BinaryCopyRows()
        rows.append("ü")
        rows.append(Int64(-2))
        rows.append(nil as String?)
        rows.endRow()
        rows.endRow()  // a row without fields
        let expected: [UInt8] = [0, 3]  // three fields
            + [0, 0, 0, 2, 0xC3, 0xBC]  // "ü": two UTF-8 bytes
            + [0, 0, 0, 8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE]  // -2 as 8 bytes, network order
            + [0xFF, 0xFF, 0xFF, 0xFF]  // NULL: length -1
            + [0, 0]
        #expect(Array(rows.buffer.readableBytesView) == expected)
        #expect(rows.count == 2)
    }

    @Test func textBuiltInTheReusedArrayIsEachValueWhole() {
        var rows = BinaryCopyRows()
        rows.append(utf8Building: { $0.append(contentsOf: "long value".utf8) })
        rows.append(utf8Building: { $0.append(contentsOf: "ab".utf8) })
        rows.endRow()
        #expect(Array(rows.buffer.readableBytesView) == [0, 2, 0, 0, 0, 10] + Array("long value".utf8) + [0, 0, 0, 2] + Array("ab".utf8))
    }

    @Test func theHeaderIsTheSignatureWithoutFlagsOrExtension() {
        #expect(BinaryCopyRows.header == Array("PGCOPY\n\u{FF}\r\n\0".unicodeScalars.map { UInt8($0.value) }) + [0, 0, 0, 0, 0, 0, 0, 0])
        #expect(BinaryCopyRows.trailer == [0xFF, 0xFF])
    }

    /// Every kind of value through a real server: what is read back is what was written.
    @Test(.enabled(if: ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"] != nil))
    func valuesCopiedInAreReadBackAsTheyWere() async throws {
        let database = try await DatabaseURL(ProcessInfo.processInfo.environment["ORDERS_TEST_DATABASE_URL"]!)
            .open(logger: Logger(label: "test"))
        let texts: [String?] = ["", "o'1; DROP TABLE x -- ünïcödé 🚀", "a\tb\nc\rd\\e", "\\N", nil, String(repeating: "x", count: 300_000)]
        let numbers: [Int64?] = [0, -1, .max, .min, nil, 1_800_000_000_123]
        do {
            let read = try await database.write { db in
                try await db.query("CREATE TEMP TABLE binary_copy_test (n BIGINT NOT NULL, t TEXT, i BIGINT) ON COMMIT DROP")
                var rows = BinaryCopyRows()
                for (n, (text, number)) in zip(texts, numbers).enumerated() {
                    rows.append(Int64(n))
                    rows.append(text)
                    rows.append(number)
                    rows.endRow()
                }
                try await db.copy(into: "binary_copy_test", columns: ["n", "t", "i"], rows: rows)
                return try await db.query("SELECT t, i FROM binary_copy_test ORDER BY n").map {
                    (try $0.optionalString(0), try $0.optionalInt(1))
                }
            }
            #expect(read.map(\.0) == texts)
            #expect(read.map(\.1) == numbers)
        } catch {
            await database.close()
            throw error
        }
        await database.close()
    }
}
