import Foundation

extension UUID {
    /// Parses the canonical 8-4-4-4-12 hex form (either case) without Foundation's
    /// `sscanf`-based parser: every event read back has an `event-id` to parse.
    init?(canonical text: String) {
        self.init(canonical: Array(text.utf8))
    }

    /// The same, from the UTF-8 bytes of a header value.
    init?(canonical bytes: [UInt8]) {
        guard let uuid = bytes.withUnsafeBufferPointer(UUID.init(canonical:)) else { return nil }
        self = uuid
    }

    init?(canonical bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D else { return nil }
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = withUnsafeMutableBytes(of: &value) { out -> Bool in
            // The 16 hex pairs sit at fixed places; a bad digit sets high bits in `invalid`.
            var invalid: UInt8 = 0
            var place = 0
            for index in 0..<16 {
                if place == 8 || place == 13 || place == 18 || place == 23 { place += 1 }
                let high = hexValue(bytes[place]), low = hexValue(bytes[place + 1])
                invalid |= high | low
                out[index] = high << 4 | low
                place += 2
            }
            return invalid & 0xF0 == 0
        }
        guard parsed else { return nil }
        self.init(uuid: value)
    }
}

extension UUID {
    /// The canonical form in lower case, as events carry it, without Foundation's
    /// `snprintf`-based `uuidString` (a rebuild formats one per event).
    public var lowercasedString: String {
        String(unsafeUninitializedCapacity: 36) { out in
            writeLowercased(to: UnsafeMutableRawBufferPointer(out))
            return 36
        }
    }

    /// The same 36 bytes lent to `body`, without making a String (a writer of many ids
    /// copies them straight where they go).
    public func withLowercasedUTF8<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        var text: (UInt64, UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0, 0)  // 40 bytes
        return try withUnsafeMutableBytes(of: &text) { out in
            writeLowercased(to: out)
            return try body(UnsafeRawBufferPointer(rebasing: out[0..<36]))
        }
    }

    /// The canonical form in lower case into the first 36 bytes of `out`.
    private func writeLowercased(to out: UnsafeMutableRawBufferPointer) {
        let digits: StaticString = "0123456789abcdef"
        withUnsafeBytes(of: uuid) { bytes in
            var place = 0
            for index in 0..<16 {
                if index == 4 || index == 6 || index == 8 || index == 10 {
                    out[place] = 0x2D
                    place += 1
                }
                out[place] = digits.utf8Start[Int(bytes[index] >> 4)]
                out[place + 1] = digits.utf8Start[Int(bytes[index] & 0x0F)]
                place += 2
            }
        }
    }
}

/// A hex digit's value (either case), or 0xFF.
private func hexValue(_ byte: UInt8) -> UInt8 {
    switch byte {
    case 0x30...0x39: byte - 0x30
    case 0x61...0x66: byte - 0x61 + 10
    case 0x41...0x46: byte - 0x41 + 10
    default: 0xFF
    }
}
