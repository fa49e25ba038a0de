import NIOCore

/// Rows in COPY's text format, written field by field as they are built, for PostgreSQL's
/// COPY FROM STDIN (`SQLExecutor.copy(into:columns:rows:)`). A large batch's rows go
/// straight from the caller's values into the bytes sent, with no `[SQLValue]` per row
/// (building and freeing those was a tenth of a backlog's fold).
///
/// Text format: fields separated by tabs, rows ended by a newline, `\N` for NULL; a
/// backslash, tab, newline or carriage return inside a value is escaped.
public struct CopyRows: Sendable {
    public private(set) var buffer: ByteBuffer
    /// Rows ended so far.
    public private(set) var count = 0
    private var fieldsInRow = 0

    public init(reservingCapacity capacity: Int = 0) {
        buffer = ByteBuffer()
        if capacity > 0 { buffer.reserveCapacity(capacity) }
    }

    public var isEmpty: Bool { count == 0 }

    public mutating func append(_ value: Int64) {
        separate()
        Self.appendDecimal(value, to: &buffer)
    }

    public mutating func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    public mutating func append(_ text: String) {
        separate()
        var text = text
        text.withUTF8 { Self.appendEscaped($0, to: &buffer) }
    }

    public mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// Text given as its UTF-8 bytes (already valid UTF-8: the server checks).
    public mutating func append(utf8 bytes: UnsafeRawBufferPointer) {
        separate()
        Self.appendEscaped(UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count), to: &buffer)
    }

    /// Text that needs no escape (the caller knows it holds no backslash, tab, newline or
    /// carriage return: digits, hex, an enum's raw value), written by `write`.
    public mutating func appendUnescaped(_ write: (inout ByteBuffer) -> Void) {
        separate()
        write(&buffer)
    }

    public mutating func appendNull() {
        separate()
        buffer.writeStaticString("\\N")
    }

    public mutating func endRow() {
        buffer.writeInteger(UInt8(ascii: "\n"))
        count += 1
        fieldsInRow = 0
    }

    /// One row of values, as `[SQLValue]` rows are sent.
    public mutating func appendRow(_ values: [SQLValue]) {
        for value in values {
            switch value {
            case .null: appendNull()
            case .int(let int): append(int)
            case .text(let text): append(text)
            }
        }
        endRow()
    }

    private mutating func separate() {
        if fieldsInRow > 0 { buffer.writeInteger(UInt8(ascii: "\t")) }
        fieldsInRow += 1
    }

    static func appendEscaped(_ bytes: UnsafeBufferPointer<UInt8>, to buffer: inout ByteBuffer) {
        // Most values need no escape: one copy of the whole value.
        guard bytes.contains(where: needsEscape) else {
            buffer.writeBytes(bytes)
            return
        }
        for byte in bytes {
            switch byte {
            case UInt8(ascii: "\\"): buffer.writeStaticString("\\\\")
            case UInt8(ascii: "\t"): buffer.writeStaticString("\\t")
            case UInt8(ascii: "\n"): buffer.writeStaticString("\\n")
            case UInt8(ascii: "\r"): buffer.writeStaticString("\\r")
            default: buffer.writeInteger(byte)
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\\") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
    }

    /// An integer in decimal, without building a String.
    static func appendDecimal(_ value: Int64, to buffer: inout ByteBuffer) {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 20 digits and a sign fit
        withUnsafeMutableBytes(of: &digits) { scratch in
            var magnitude = value.magnitude
            var start = scratch.count
            repeat {
                start -= 1
                scratch[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            if value < 0 {
                start -= 1
                scratch[start] = UInt8(ascii: "-")
            }
            buffer.writeBytes(UnsafeRawBufferPointer(rebasing: scratch[start...]))
        }
    }
}
