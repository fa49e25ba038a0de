import Foundation

extension UUID {
    /// Parses the canonical 8-4-4-4-12 hex form (either case) without Foundation's
    /// `sscanf`-based parser: every event read back has an `event-id` to parse.
    init?(canonical text: String) {
        var text = text
        let parsed: uuid_t?? = text.withUTF8 { bytes -> uuid_t? in
            guard bytes.count == 36, bytes[8] == 0x2D, bytes[13] == 0x2D, bytes[18] == 0x2D, bytes[23] == 0x2D else { return nil }
            var out = [UInt8](repeating: 0, count: 16)
            var index = 0
            var high: UInt8? = nil
            for byte in bytes where byte != 0x2D {
                let nibble: UInt8
                switch byte {
                case 0x30...0x39: nibble = byte - 0x30
                case 0x61...0x66: nibble = byte - 0x61 + 10
                case 0x41...0x46: nibble = byte - 0x41 + 10
                default: return nil
                }
                if let h = high {
                    out[index] = h << 4 | nibble
                    index += 1
                    high = nil
                } else {
                    high = nibble
                }
            }
            guard index == 16 else { return nil }
            return (out[0], out[1], out[2], out[3], out[4], out[5], out[6], out[7],
                    out[8], out[9], out[10], out[11], out[12], out[13], out[14], out[15])
        }
        guard let value = parsed ?? nil else { return nil }
        self.init(uuid: value)
    }
}
