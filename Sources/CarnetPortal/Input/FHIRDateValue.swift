package import Foundation

/// A calendar day typed in a form (`YYYY-MM-DD`, from `<input type="date">`), as noon in Paris.
package enum FHIRDateValue {
    package static func day(_ text: String) -> Date? {
        guard text.wholeMatch(of: /\d{4}-\d{2}-\d{2}/) != nil else { return nil }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: parts[2], hour: 12)),
              calendar.component(.day, from: date) == parts[2] else { return nil }
        return date
    }
}
