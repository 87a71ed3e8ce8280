public import Foundation
import CarnetJSON

/// A random identifier typed by what it identifies, so a record id can never be passed where a
/// document id is expected. Random (UUID), it reveals nothing about the patient.
public struct EntityID<Entity>: Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: UUID

    public init(_ rawValue: UUID = UUID()) { self.rawValue = rawValue }

    /// Parses the UUID form used in URLs; `nil` for anything else.
    public init?(_ text: String) {
        guard let uuid = UUID(text: text) else { return nil }
        rawValue = uuid
    }

    /// Lowercase, as in URLs and stored rows.
    public var description: String { rawValue.lowercasedText }

    public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(UUID.self) }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
}

/// A record's identifier: the patient key every health-data table carries.
public typealias RecordID = EntityID<HealthRecord>

/// A document entry's identifier (`DocumentReference.id`, and `Binary.id` of its content).
public typealias DocumentID = EntityID<DocumentEntry>
