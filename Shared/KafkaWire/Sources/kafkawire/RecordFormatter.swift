import KafkaProtocol
import KafkaWire
import NIOCore

/// Renders consumed records for `kafkawire consume`: a kcat-like format string, or JSON lines.
struct RecordFormatter {
    enum Style { case format(String), json }
    let style: Style

    func write(_ record: ConsumerRecord, to out: inout OutputBuffer) {
        switch style {
        case .json: writeJSON(record, to: &out)
        case .format(let format): writeFormatted(record, format: format, to: &out)
        }
    }

    /// %t topic, %p partition, %o offset, %T timestamp, %k key, %v value, %h headers
    /// (k=v,...), %% a percent sign, \n \t escapes. A newline ends each record unless the
    /// format has one.
    private func writeFormatted(_ record: ConsumerRecord, format: String, to out: inout OutputBuffer) {
        var iterator = format.makeIterator()
        var endsWithNewline = false
        while let c = iterator.next() {
            endsWithNewline = false
            if c == "%" {
                switch iterator.next() {
                case "t": out.append(record.topic)
                case "p": out.append(String(record.partition))
                case "o": out.append(String(record.offset))
                case "T": out.append(String(record.timestamp))
                case "k": if let key = record.key { out.append(contentsOf: key.readableBytesView) }
                case "v": if let value = record.value { out.append(contentsOf: value.readableBytesView) }
                case "h":
                    for (index, header) in record.headers.enumerated() {
                        if index > 0 { out.append(",") }
                        out.append(header.key)
                        out.append("=")
                        if let value = header.value { out.append(contentsOf: value.readableBytesView) }
                    }
                case "%": out.append("%")
                case let other?: out.append("%" + String(other))
                case nil: out.append("%")
                }
            } else if c == "\\" {
                switch iterator.next() {
                case "n": out.append("\n"); endsWithNewline = true
                case "t": out.append("\t")
                case "\\": out.append("\\")
                case let other?: out.append("\\" + String(other))
                case nil: out.append("\\")
                }
            } else {
                out.append(String(c))
                endsWithNewline = c == "\n"
            }
        }
        if !endsWithNewline { out.append("\n") }
    }

    /// One object per line. Keys, values and header values appear as text when they are
    /// UTF-8 (null otherwise) and always as base64 (`*_b64`), so binary data survives exactly.
    private func writeJSON(_ record: ConsumerRecord, to out: inout OutputBuffer) {
        out.append("{\"topic\":")
        out.append(Self.jsonString(record.topic))
        out.append(",\"partition\":\(record.partition),\"offset\":\(record.offset),\"timestamp\":\(record.timestamp)")
        out.append(",\"key\":" + Self.jsonText(record.key) + ",\"key_b64\":" + Self.jsonBase64(record.key))
        out.append(",\"value\":" + Self.jsonText(record.value) + ",\"value_b64\":" + Self.jsonBase64(record.value))
        out.append(",\"headers\":[")
        for (index, header) in record.headers.enumerated() {
            if index > 0 { out.append(",") }
            out.append("{\"key\":" + Self.jsonString(header.key) + ",\"value\":" + Self.jsonText(header.value)
                + ",\"value_b64\":" + Self.jsonBase64(header.value) + "}")
        }
        out.append("]}\n")
    }

    static func jsonText(_ bytes: ByteBuffer?) -> String {
        guard let bytes, let text = String(validating: bytes.readableBytesView, as: UTF8.self) else { return "null" }
        return jsonString(text)
    }

    static func jsonBase64(_ bytes: ByteBuffer?) -> String {
        guard let bytes else { return "null" }
        return "\"" + base64(Array(bytes.readableBytesView)) + "\""
    }

    static func jsonString(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                result += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    static func base64(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 3 <= bytes.count {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], alphabet[Int(n & 63)]]
            index += 3
        }
        let rest = bytes.count - index
        if rest == 1 {
            let n = UInt32(bytes[index]) << 16
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], UInt8(ascii: "="), UInt8(ascii: "=")]
        } else if rest == 2 {
            let n = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out += [alphabet[Int(n >> 18 & 63)], alphabet[Int(n >> 12 & 63)], alphabet[Int(n >> 6 & 63)], UInt8(ascii: "=")]
        }
        return String(decoding: out, as: UTF8.self)
    }
}
