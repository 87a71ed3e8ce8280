public import Foundation

/// The forms `JSONEncoder`'s default strategies give the Foundation values Carnet stores: dates as
/// seconds since 2001 (`deferredToDate`), UUIDs as upper-case strings, enums by raw value.
extension JSONWriter {
    public mutating func date(_ value: Date) {
        double(value.timeIntervalSinceReferenceDate)
    }

    public mutating func uuid(_ value: UUID) {
        string(value.uppercasedText)
    }

    @inlinable
    public mutating func array(_ values: [some JSONWritable]) {
        beginArray()
        for value in values { self.value(value) }
        endArray()
    }
}

extension JSONReader {
    public mutating func date() throws(JSONReadError) -> Date {
        Date(timeIntervalSinceReferenceDate: try double())
    }

    /// Parsed from the text's bytes: no `String` is made of the 36 characters (three per stored entry).
    public mutating func uuid() throws(JSONReadError) -> UUID {
        let parsed = try withStringBytes { UUIDText.parse($0).map(UUID.init(uuid:)) }
        guard let parsed else { throw .invalid("a UUID") }
        return parsed
    }

    @inlinable
    public mutating func enumValue<T: RawRepresentable>(_ type: T.Type) throws(JSONReadError) -> T where T.RawValue == String {
        let text = try string()
        guard let value = T(rawValue: text) else { throw .invalid("a \(T.self), not '\(text)'") }
        return value
    }

    /// Reads an array, each element with `element`.
    @inlinable
    public mutating func array<T>(_ element: (inout JSONReader) throws(JSONReadError) -> T) throws(JSONReadError) -> [T] {
        var values: [T] = []
        try beginArray()
        while try nextElement() { values.append(try element(&self)) }
        return values
    }
}
