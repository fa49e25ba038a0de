/// Where an owned partition stands, as `/status` and `/health/ready` show it.
public struct PartitionStatus: Sendable, Hashable, Codable {
    public var partition: Int32
    public var nextOffset: Int64
    /// The high watermark to fold to before serving; -1 while it is being read.
    public var target: Int64
    public var serving: Bool
    public var stopped: String?
    public var orders: Int
    public var voidEvents: Int
    public var inFlight: Int
}
