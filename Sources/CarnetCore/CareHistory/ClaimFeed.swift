public import Foundation

/// The insurer's bulk feed formats, one claim per line (README, "Care history feed").
///
/// NDJSON: `{"claimId": "…", "ins": "…", "insSystem": "1.2.250.1.213.1.4.8", "serviceDate": "2026-03-14",
/// "code": "YYYY010", "codeSystem": "https://…/ccam", "label": "…", "prescriber": "<RPPS>",
/// "performer": "…", "charged": "25.00", "reimbursed": "17.50"}` — `insSystem`, `prescriber`,
/// `performer` and the amounts are optional.
///
/// CSV: a header line naming the same fields (any order, `;` or `,` separated, RFC 4180 quoting),
/// then one claim per line.
public enum ClaimFeed {
    public static let fields = ["claimId", "ins", "insSystem", "serviceDate", "code", "codeSystem", "label", "prescriber", "performer",
                                "charged", "reimbursed"]

    /// One NDJSON line as a claim, or what is wrong with it.
    public static func claim(ndjson line: Substring, keyChecking: INS.KeyChecking) throws(ClaimLineError) -> Claim {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any] else {
            throw .malformed("not a JSON object")
        }
        var values: [String: String] = [:]
        for (key, value) in object {
            switch value {
            case let text as String: values[key] = text
            case let number as NSNumber: values[key] = number.stringValue
            case is NSNull: continue
            default: throw .field(key, "must be a string")
            }
        }
        return try claim(values, keyChecking: keyChecking)
    }

    /// A claim from named values (a JSON object or a CSV row under its header).
    public static func claim(_ values: [String: String], keyChecking: INS.KeyChecking) throws(ClaimLineError) -> Claim {
        func required(_ name: String) throws(ClaimLineError) -> String {
            guard let value = values[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty else { throw .field(name, "is required") }
            return value
        }
        func optional(_ name: String) -> String? {
            values[name].map { $0.trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
        }
        let id = try required("claimId")
        guard id.count <= 64 else { throw .field("claimId", "is longer than 64 characters") }
        let ins: INS
        do {
            let system = try INSSystem(uri: optional("insSystem") ?? INSSystem.nir.uri)
            ins = try INS(try required("ins"), system: system, keyChecking: keyChecking)
        } catch let error as ClaimLineError {
            throw error
        } catch {
            throw .field("ins", "\(error)")
        }
        let dateText = try required("serviceDate")
        guard let date = try? PartialDate(dateText), date.day != nil else { throw .field("serviceDate", "'\(dateText)' is not a date (YYYY-MM-DD)") }
        let label = try required("label")
        guard label.count <= 500 else { throw .field("label", "is longer than 500 characters") }
        let prescriber = optional("prescriber")
        if let prescriber, !(prescriber.count == 11 && prescriber.allSatisfy(\.isNumber)) {
            throw .field("prescriber", "'\(prescriber)' is not an 11-digit RPPS")
        }
        return Claim(id: id, ins: ins, serviceDate: date, code: Code(system: optional("codeSystem"), code: try required("code")), label: label,
                     prescriberRPPS: prescriber, performer: optional("performer"),
                     chargedCents: try cents(optional("charged"), "charged"), reimbursedCents: try cents(optional("reimbursed"), "reimbursed"))
    }

    /// "17.5", "17,50" or "17" euros as cents.
    static func cents(_ text: String?, _ field: String) throws(ClaimLineError) -> Int? {
        guard let text else { return nil }
        let normalised = text.replacingOccurrences(of: ",", with: ".")
        let parts = normalised.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let euros = Int(parts[0]), euros >= 0, euros < 10_000_000,
              parts.count == 1 || (1...2).contains(parts[1].count) && parts[1].allSatisfy(\.isNumber) else {
            throw .field(field, "'\(text)' is not an amount in euros (e.g. 17.50)")
        }
        let fraction = parts.count == 2 ? Int(parts[1].padding(toLength: 2, withPad: "0", startingAt: 0)) ?? 0 : 0
        return euros * 100 + fraction
    }

    /// Splits one CSV line (RFC 4180 quoting) on `separator`.
    public static func csvFields(_ line: Substring, separator: Character) throws(ClaimLineError) -> [String] {
        var fields: [String] = []
        var current = ""
        var quoted = false
        var iterator = line.makeIterator()
        var atFieldStart = true
        while let character = iterator.next() {
            if quoted {
                if character == "\"" {
                    // A doubled quote is a literal quote; a single one closes the field.
                    var lookahead = iterator
                    if lookahead.next() == "\"" { current.append("\""); iterator = lookahead } else { quoted = false }
                } else {
                    current.append(character)
                }
            } else if character == "\"" && atFieldStart {
                quoted = true
                atFieldStart = false
            } else if character == separator {
                fields.append(current)
                current = ""
                atFieldStart = true
            } else {
                current.append(character)
                atFieldStart = false
            }
        }
        guard !quoted else { throw .malformed("an unterminated quoted field") }
        fields.append(current)
        return fields
    }
}

/// Why one line of a claims feed was rejected (written with its line number to the rejects file).
public enum ClaimLineError: Error, Equatable, Sendable, CustomStringConvertible {
    case malformed(String)
    case field(String, String)

    public var description: String {
        switch self {
        case .malformed(let detail): detail
        case .field(let name, let detail): "\(name) \(detail)"
        }
    }
}
