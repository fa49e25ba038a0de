import Foundation

extension Array where Element == UInt8 {
    /// Byte equality with a buffer: the count, then one `memcmp` (the generic `elementsEqual`
    /// walks both through iterators, and showed up in the fold of every record).
    func equals(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard count == bytes.count else { return false }
        guard let other = bytes.baseAddress else { return true }
        return withUnsafeBufferPointer { memcmp($0.baseAddress!, other, count) == 0 }
    }
}
