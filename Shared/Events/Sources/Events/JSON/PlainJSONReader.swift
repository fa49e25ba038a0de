/// A strict reader for the plain JSON that event bodies are written in: objects of known keys,
/// strings, integers and arrays of objects. It reads only what it is sure of and answers nil
/// for everything else (a `\u` escape, a fraction or exponent, an unknown or repeated key, a
/// `null`, invalid UTF-8, a syntax error), so that its caller can hand the body to
/// `JSONDecoder`, which then gives the same value or its own error. Whatever it does read is
/// therefore what `JSONDecoder` would read: a fast path, never a second dialect.
public struct PlainJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0

    public init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The whole input was read (only whitespace is left).
    public mutating func atEnd() -> Bool {
        skipWhitespace()
        return index == bytes.count
    }

    /// Reads an object whose keys are all among `keys` (none twice, at most 64): `field` is
    /// called with each key's index, positioned at its value, and reads the value. False
    /// unless every key was present but those whose bit is set in `optional` (so a missing
    /// field goes to `JSONDecoder` for its error).
    public mutating func object(keys: [[UInt8]], optional: UInt64 = 0, field: (inout PlainJSONReader, Int) -> Bool) -> Bool {
        let required = (keys.count == 64 ? UInt64.max : (1 << UInt64(keys.count)) - 1) & ~optional
        guard consume(UInt8(ascii: "{")) else { return false }
        var seen: UInt64 = 0
        if consume(UInt8(ascii: "}")) { return seen & required == required }
        repeat {
            guard let key = keyIndex(among: keys), seen & (1 << key) == 0 else { return false }
            seen |= 1 << key
            guard consume(UInt8(ascii: ":")), field(&self, key) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "}")) && seen & required == required
    }

    /// Reads an array, calling `element` for each element.
    public mutating func array(element: (inout PlainJSONReader) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        repeat {
            guard element(&self) else { return false }
        } while consume(UInt8(ascii: ","))
        return consume(UInt8(ascii: "]"))
    }

    /// An object whose fields are exactly `keys`, each a string: the values in the order of `keys`.
    public mutating func strings(keys: [[UInt8]]) -> [String]? {
        var values = [String?](repeating: nil, count: keys.count)
        guard object(keys: keys, field: { r, key in values[key] = r.string(); return values[key] != nil }) else { return nil }
        return values.map { $0! }  // `object` saw every key
    }

    /// `{}` (whitespace allowed inside).
    public mutating func emptyObject() -> Bool {
        object(keys: []) { _, _ in false }
    }

    /// A string with no `\u` escape and no control character, valid UTF-8.
    public mutating func string() -> String? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let text = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                return ascii ? String(decoding: text, as: UTF8.self) : String(validating: text, as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") {
                index = start
                return escapedString()
            }
            if byte < 0x20 { return nil }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        return nil
    }

    /// An integer without fraction or exponent that fits an Int64 (as a non-negative
    /// accumulation: Int64.min itself goes to `JSONDecoder`).
    public mutating func int64() -> Int64? {
        skipWhitespace()
        var negative = false
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            negative = true
            index += 1
        }
        let start = index
        var value: Int64 = 0
        while index < bytes.count, case let digit = bytes[index] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = value.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(Int64(digit))
            if overflow1 || overflow2 { return nil }
            value = sum
            index += 1
        }
        let digits = index - start
        // JSON has no leading zeros; a fraction or an exponent is JSONDecoder's to judge.
        guard digits > 0, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
            default: break
            }
        }
        return negative ? -value : value
    }

    // MARK: Lexing

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): index += 1
            default: return
            }
        }
    }

    /// Skips whitespace, then takes `byte` if it is next.
    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    /// The index in `keys` of the next key, compared as bytes (a key with any escape is unknown).
    private mutating func keyIndex(among keys: [[UInt8]]) -> Int? {
        guard consume(UInt8(ascii: "\"")) else { return nil }
        let start = index
        while index < bytes.count, bytes[index] != UInt8(ascii: "\"") {
            if bytes[index] == UInt8(ascii: "\\") { return nil }
            index += 1
        }
        guard index < bytes.count else { return nil }
        let key = UnsafeBufferPointer(rebasing: bytes[start..<index])
        index += 1
        return keys.firstIndex { $0.equals(key) }
    }

    /// The slow path of `string()`: the two-character escapes, collected into a copy.
    private mutating func escapedString() -> String? {
        var text: [UInt8] = []
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(validating: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard index < bytes.count else { return nil }
                let escaped = bytes[index]
                index += 1
                switch escaped {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escaped)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(0x0A)
                case UInt8(ascii: "r"): text.append(0x0D)
                case UInt8(ascii: "t"): text.append(0x09)
                default: return nil  // \u and anything invalid
                }
            case 0..<0x20:
                return nil
            default:
                text.append(byte)
            }
        }
        return nil
    }
}
