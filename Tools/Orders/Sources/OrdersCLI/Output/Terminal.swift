import Foundation
import ServiceHTTP

/// What the CLI prints: human text by default (aligned tables, colour only on a terminal and
/// without NO_COLOR), or JSON for scripts.
public enum Terminal {
    public static let isTTY = isatty(STDOUT_FILENO) == 1
    static let colour = isTTY && ProcessInfo.processInfo.environment["NO_COLOR"] == nil

    public static func line(_ text: String = "") {
        do {
            try FileHandle.standardOutput.write(contentsOf: Data((text + "\n").utf8))
        } catch {
            // The reader went away (`orders events | head`): stop quietly, as a process
            // killed by SIGPIPE does (status 128 + 13), instead of crashing.
            exit(141)
        }
    }

    public static func error(_ text: String) {
        try? FileHandle.standardError.write(contentsOf: Data((text + "\n").utf8))
    }

    /// One JSON value on one line (a service's answer, as it gave it).
    public static func json(_ value: JSONValue) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        line(String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self))
    }

    public static func json(_ value: some Encodable) {
        line(String(decoding: jsonBytes(value), as: UTF8.self))
    }

    static func bold(_ text: String) -> String { colour ? "\u{1B}[1m\(text)\u{1B}[0m" : text }
    static func dim(_ text: String) -> String { colour ? "\u{1B}[2m\(text)\u{1B}[0m" : text }
    static func green(_ text: String) -> String { colour ? "\u{1B}[32m\(text)\u{1B}[0m" : text }
    static func red(_ text: String) -> String { colour ? "\u{1B}[31m\(text)\u{1B}[0m" : text }
    static func yellow(_ text: String) -> String { colour ? "\u{1B}[33m\(text)\u{1B}[0m" : text }

    /// Columns padded to their widest cell (display width of plain text).
    static func table(_ header: [String], _ rows: [[String]]) {
        var widths = header.map(\.count)
        for row in rows { for (index, cell) in row.enumerated() where index < widths.count { widths[index] = max(widths[index], cell.count) } }
        func render(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        line(bold(render(header)))
        for row in rows { line(render(row)) }
    }

    /// Minor units with the currency's usual two decimals (a display, not a conversion).
    static func money(_ minor: Int64, _ currency: String) -> String {
        let zeroDecimals: Set<String> = ["JPY", "KRW", "VND", "CLP", "ISK", "UGX", "XAF", "XOF"]
        if zeroDecimals.contains(currency) { return "\(minor) \(currency)" }
        let sign = minor < 0 ? "-" : ""
        let magnitude = minor.magnitude
        return "\(sign)\(magnitude / 100).\(magnitude % 100 < 10 ? "0" : "")\(magnitude % 100) \(currency)"
    }
}
