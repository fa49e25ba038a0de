/// Where to move a partition's fetch position (KafkaConsumer.seek) or where to start when
/// nothing is committed.
public struct SeekPosition: Hashable, Sendable, CustomStringConvertible {
    enum Base: Hashable, Sendable {
        case beginning, end
        case offset(Int64)
        /// The earliest offset whose timestamp is at or after this many ms since the epoch.
        case timestamp(Int64)
    }

    let base: Base

    /// The log start offset (ListOffsets EARLIEST).
    public static let beginning = SeekPosition(base: .beginning)
    /// The high watermark: only records produced from now on (ListOffsets LATEST).
    public static let end = SeekPosition(base: .end)
    public static func offset(_ offset: Int64) -> SeekPosition { SeekPosition(base: .offset(offset)) }
    /// The first record with a timestamp at or after `milliseconds` (ListOffsets by time);
    /// the end when there is none.
    public static func timestamp(_ milliseconds: Int64) -> SeekPosition { SeekPosition(base: .timestamp(milliseconds)) }

    public var description: String {
        switch base {
        case .beginning: return "beginning"
        case .end: return "end"
        case .offset(let offset): return "offset \(offset)"
        case .timestamp(let ms): return "timestamp \(ms)"
        }
    }

    /// The ListOffsets timestamp that resolves this position; nil for a plain offset.
    var listOffsetsTimestamp: Int64? {
        switch base {
        case .beginning: return -2
        case .end: return -1
        case .timestamp(let ms): return ms
        case .offset: return nil
        }
    }
}
