import ArgumentParser
import Foundation

/// An environment variable's value; empty counts as unset.
public func env(_ name: String) -> String? {
    ProcessInfo.processInfo.environment[name].flatMap { $0.isEmpty ? nil : $0 }
}

/// An integer option in a range; the error names the flag and the variable.
public func number<T: FixedWidthInteger>(_ text: String, _ name: String, _ range: ClosedRange<T>) throws -> T {
    guard let value = T(text.trimmingCharacters(in: .whitespaces)), range.contains(value) else {
        throw ValidationError("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound), not \(text.debugDescription)")
    }
    return value
}
