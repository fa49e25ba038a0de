import NIOCore

/// Rows in COPY's text format, written field by field as they are built, for PostgreSQL's
/// COPY FROM STDIN (`SQLExecutor.copy(into:columns:rows:)`): how `insert(into:columns:rows:)`
/// sends values of any type to any column. A large batch of known column types is faster as
/// `BinaryCopyRows`.
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
        let separator = nextSeparator()
        // One capacity check for the separator and the digits (a write per byte was most
        // of the cost of building a batch's rows).
        buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: 21) { out in
            Self.writeDecimal(value, separator: separator, to: out)
        }
    }

    public mutating func append(_ value: Int64?) {
        if let value { append(value) } else { appendNull() }
    }

    public mutating func append(_ text: String) {
        var text = text
        text.withUTF8 { append(bytes: $0) }
    }

    public mutating func append(_ text: String?) {
        if let text { append(text) } else { appendNull() }
    }

    /// Text given as its UTF-8 bytes (already valid UTF-8: the server checks).
    public mutating func append(utf8 bytes: UnsafeRawBufferPointer) {
        append(bytes: UnsafeBufferPointer(start: bytes.baseAddress?.assumingMemoryBound(to: UInt8.self), count: bytes.count))
    }

    private mutating func append(bytes: UnsafeBufferPointer<UInt8>) {
        let separator = nextSeparator()
        // Most values need no escape: the separator and one copy of the whole value.
        guard bytes.contains(where: Self.needsEscape) else {
            buffer.writeWithUnsafeMutableBytes(minimumWritableBytes: bytes.count + 1) { out in
                var written = 0
                if let separator {
                    out[0] = separator
                    written = 1
                }
                if let base = bytes.baseAddress, !bytes.isEmpty {
                    (out.baseAddress! + written).copyMemory(from: base, byteCount: bytes.count)
                }
                return written + bytes.count
            }
            return
        }
        if let separator { buffer.writeInteger(separator) }
        Self.appendEscaped(bytes, to: &buffer)
    }

    public mutating func appendNull() {
        if let separator = nextSeparator() { buffer.writeInteger(separator) }
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

    /// The tab before the field about to be written, if it is not the row's first.
    private mutating func nextSeparator() -> UInt8? {
        defer { fieldsInRow += 1 }
        return fieldsInRow > 0 ? UInt8(ascii: "\t") : nil
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

    /// `separator` (if any), then an integer in decimal, without building a String, into
    /// `out` (at least 21 bytes); returns the bytes written.
    static func writeDecimal(_ value: Int64, separator: UInt8?, to out: UnsafeMutableRawBufferPointer) -> Int {
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes: 19 digits and a sign fit
        return withUnsafeMutableBytes(of: &digits) { scratch in
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
            var written = 0
            if let separator {
                out[0] = separator
                written = 1
            }
            let length = scratch.count - start
            (out.baseAddress! + written).copyMemory(from: scratch.baseAddress! + start, byteCount: length)
            return written + length
        }
    }
}
