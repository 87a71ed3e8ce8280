package import CarnetCore
package import Foundation

/// Charts people would rather look at than read, drawn as inline SVG from numbers only (no script,
/// nothing fetched), each with a text equivalent for screen readers.
package enum PortalChart {
    /// Reimbursed care per month over the last twelve months, oldest on the left.
    package static func claimsPerMonth(_ claims: [Claim], language l: PortalLanguage, now: Date) -> HTML {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let months: [(year: Int, month: Int)] = (0..<12).reversed().compactMap { back in
            calendar.date(byAdding: .month, value: -back, to: now).map { (calendar.component(.year, from: $0), calendar.component(.month, from: $0)) }
        }
        let counts = months.map { month in claims.filter { $0.serviceDate.year == month.year && $0.serviceDate.month == month.month }.count }
        let highest = max(counts.max() ?? 0, 1)
        let width = 36, height = 120, top = 16
        var bars = ""
        for (index, count) in counts.enumerated() {
            let barHeight = count * height / highest
            let x = index * width + 6
            bars += "<rect x=\"\(x)\" y=\"\(top + height - barHeight)\" width=\"\(width - 12)\" height=\"\(barHeight)\" fill=\"#0b4f9c\"></rect>"
            bars += "<text x=\"\(x + (width - 12) / 2)\" y=\"\(top + height + 14)\" text-anchor=\"middle\">\(String(format: "%02d", months[index].month))</text>"
            if count > 0 { bars += "<text x=\"\(x + (width - 12) / 2)\" y=\"\(top + height - barHeight - 3)\" text-anchor=\"middle\">\(count)</text>" }
        }
        let total = counts.reduce(0, +)
        let label = l.t(.reimbursedCareItemsOverMonthsBy(total))
        return "<figure><svg role=\"img\" aria-label=\"\(label)\" viewBox=\"0 0 \(12 * width) \(top + height + 20)\" width=\"100%\" class=\"chart\">"
            + HTML.trusted(bars) + "</svg><figcaption>\(label)</figcaption></figure>"
    }
}
