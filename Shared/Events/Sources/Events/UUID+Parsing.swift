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
            var index = 0
            var high: UInt8? = nil
            for byte in bytes where byte != 0x2D {
                let nibble: UInt8
                switch byte {
                case 0x30...0x39: nibble = byte - 0x30
                case 0x61...0x66: nibble = byte - 0x61 + 10
                case 0x41...0x46: nibble = byte - 0x41 + 10
                default: return false
                }
                if let h = high {
                    guard index < 16 else { return false }
                    out[index] = h << 4 | nibble
                    index += 1
                    high = nil
                } else {
                    high = nibble
                }
            }
            return index == 16 && high == nil
        }
        guard parsed else { return nil }
        self.init(uuid: value)
    }
}
