public import Foundation
import CarnetJSON

/// Decoding and encoding FHIR JSON with errors a developer can act on.
///
/// A syntax error says the line and column; a type error names the element as a FHIRPath expression
/// (`Patient.identifier[0].value`) rather than Swift's coding path.
public enum FHIRJSON {
    public static let mediaType = "application/fhir+json"

    /// Decodes a resource of type `T` from `data`; `resourceName` prefixes the expressions in errors.
    public static func decode<T: Decodable>(_ type: T.Type, from data: Data, resourceName: String) throws(FHIRInputError) -> T {
        guard !data.isEmpty else { throw FHIRInputError("the request body is empty: expected a \(resourceName) resource in JSON", code: "structure") }
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch let error as DecodingError {
            throw inputError(for: error, in: data, resourceName: resourceName)
        } catch {
            throw FHIRInputError("the body could not be read as JSON", code: "structure")
        }
    }

    /// The value's JSON; types on hot paths write themselves (``JSONWritable``), the same bytes faster.
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        if let writable = value as? any JSONWritable { return Data(writable.jsonBytes(capacity: 4096)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    static func inputError(for error: DecodingError, in data: Data, resourceName: String) -> FHIRInputError {
        switch error {
        case .dataCorrupted(let context) where context.codingPath.isEmpty:
            return FHIRInputError(syntaxMessage(for: data), code: "structure")
        case .dataCorrupted(let context):
            return FHIRInputError(context.debugDescription, at: path(context.codingPath, resourceName))
        case .keyNotFound(let key, let context):
            return FHIRInputError("is required", at: path(context.codingPath + [key], resourceName), code: "required")
        case .typeMismatch(let type, let context):
            return FHIRInputError("has the wrong type: expected \(jsonTypeName(type))", at: path(context.codingPath, resourceName))
        case .valueNotFound(let type, let context):
            return FHIRInputError("must not be null: expected \(jsonTypeName(type))", at: path(context.codingPath, resourceName))
        @unknown default:
            return FHIRInputError("the body is not a valid \(resourceName)", code: "structure")
        }
    }

    /// Finds where JSON stops parsing and says it as line and column (1-based).
    static func syntaxMessage(for data: Data) -> String {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
            return "the body is JSON but not a JSON object"
        } catch {
            let detail = (error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? ""
            let offset = characterOffset(in: detail) ?? data.count
            let (line, column) = lineAndColumn(of: offset, in: data)
            let what = detail.contains("end of file") ? "unexpected end of JSON" : "malformed JSON"
            return "\(what) at line \(line), column \(column)"
        }
    }

    static func characterOffset(in detail: String) -> Int? {
        guard let range = detail.range(of: "character ") else { return nil }
        return Int(detail[range.upperBound...].prefix { $0.isNumber })
    }

    static func lineAndColumn(of offset: Int, in data: Data) -> (Int, Int) {
        var line = 1
        var column = 1
        for byte in data.prefix(offset) {
            if byte == UInt8(ascii: "\n") {
                line += 1
                column = 1
            } else if byte & 0xC0 != 0x80 {
                column += 1
            }
        }
        return (line, column)
    }

    static func path(_ codingPath: [any CodingKey], _ resourceName: String) -> String {
        codingPath.reduce(resourceName) { path, key in
            if let index = key.intValue { return "\(path)[\(index)]" }
            return "\(path).\(key.stringValue)"
        }
    }

    static func jsonTypeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Bool.Type: "a boolean"
        case is Int.Type, is Double.Type, is Decimal.Type: "a number"
        default: String(describing: type).hasPrefix("Array") ? "an array" : "an object"
        }
    }
}
