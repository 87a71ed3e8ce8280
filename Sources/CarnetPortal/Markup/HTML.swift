/// HTML built safe by default: text interpolated into an `HTML` literal is escaped, and only another
/// `HTML` value goes in as markup — so forgetting to escape is not something a page can do.
package struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    package init(stringLiteral value: String) { markup = value }
    package init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }
    private init(markup: String) { self.markup = markup }

    package var description: String { markup }

    /// Markup Carnet wrote itself (a constant, an inline SVG built from numbers).
    package static func trusted(_ markup: String) -> HTML { HTML(markup: markup) }

    package static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(markup: lhs.markup + rhs.markup) }

    package static func join(_ parts: [HTML], separator: HTML = "") -> HTML {
        HTML(markup: parts.map(\.markup).joined(separator: separator.markup))
    }

    package struct Interpolation: StringInterpolationProtocol {
        package var markup = ""

        package init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }
        package mutating func appendLiteral(_ literal: String) { markup += literal }
        package mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        package mutating func appendInterpolation(_ parts: [HTML]) { markup += parts.map(\.markup).joined() }
        package mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        package mutating func appendInterpolation(_ text: String?) { markup += HTML.escape(text ?? "") }
        package mutating func appendInterpolation(_ number: Int) { markup += String(number) }
    }

    /// Escapes text for element content and quoted attribute values.
    package static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(character)
            }
        }
        return escaped
    }
}

/// An `HTML` literal where the type cannot be inferred (in a conditional, say).
package func html(_ value: HTML) -> HTML { value }
