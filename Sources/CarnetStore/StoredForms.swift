public import CarnetCore
public import Foundation
import CarnetJSON

/// Conversions between domain values and the plain columns both engines store, so that the two
/// engines cannot disagree on how a value is written.
public enum StoredForms {
    /// Rebuilds an INS from its stored columns; stored values were validated on the way in, so only
    /// the key check is relaxed (a test identity with a wrong key may legitimately be stored).
    public static func ins(system: String, value: String) throws -> INS {
        do {
            let insSystem = try INSSystem(uri: system)
            return try INS(value, system: insSystem, keyChecking: .relaxedForTestIdentities)
        } catch {
            throw StoreError.corruptRow("INS under \(system): \(error)")
        }
    }

    public static func encodeJSON<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    public static func decodeJSON<T: Decodable>(_ type: T.Type, from text: String) throws -> T {
        do {
            return try JSONDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StoreError.corruptRow("\(T.self): \(error)")
        }
    }

    /// A stored document entry (hand-read: see `DocumentEntry.init(storedJSON:)`).
    public static func documentEntry(from text: String) throws -> DocumentEntry {
        do {
            return try DocumentEntry(storedJSON: text)
        } catch {
            throw StoreError.corruptRow("DocumentEntry: \(error)")
        }
    }

    /// A record's stored access controls (hand-read, like document entries).
    public static func accessControls(from text: String) throws -> AccessControls {
        do {
            return try AccessControls(storedJSON: text)
        } catch {
            throw StoreError.corruptRow("AccessControls: \(error)")
        }
    }

    /// A record's stored identity traits (hand-read, like document entries).
    public static func identity(from text: String) throws -> PatientIdentity {
        do {
            return try PatientIdentity(storedJSON: text)
        } catch {
            throw StoreError.corruptRow("PatientIdentity: \(error)")
        }
    }

    /// A list of strings (an audit event's resources), in `JSONEncoder`'s form; written on every request.
    public static func stringsJSON(_ strings: [String]) -> String {
        var writer = JSONWriter(capacity: 64 * (strings.count + 1), escapingSlashes: true)
        writer.beginArray()
        for string in strings { writer.string(string) }
        writer.endArray()
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    public static func strings(fromJSON text: String) throws -> [String] {
        do {
            var reader = JSONReader(text)
            let strings = try reader.array { reader throws(JSONReadError) in try reader.string() }
            try reader.end()
            return strings
        } catch {
            throw StoreError.corruptRow("[String]: \(error)")
        }
    }

    public static func enumValue<T: RawRepresentable>(_ type: T.Type, _ raw: String) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else { throw StoreError.corruptRow("\(T.self) '\(raw)'") }
        return value
    }
}

extension StoredForms {
    /// Dates are stored to the millisecond on both engines, so a value reads back equal to what was written.
    public static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    public static func date(milliseconds: Int64) -> Date {
        Date(timeIntervalSince1970: Double(milliseconds) / 1000)
    }
}
