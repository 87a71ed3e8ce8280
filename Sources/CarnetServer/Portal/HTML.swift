/// HTML built safe by default: text interpolated into an `HTML` literal is escaped, and only another
/// `HTML` value goes in as markup — so forgetting to escape is not something a page can do.
struct HTML: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    private(set) var markup: String

    init(stringLiteral value: String) { markup = value }
    init(stringInterpolation: Interpolation) { markup = stringInterpolation.markup }
    private init(markup: String) { self.markup = markup }

    var description: String { markup }

    /// Markup Carnet wrote itself (a constant, an inline SVG built from numbers).
    static func trusted(_ markup: String) -> HTML { HTML(markup: markup) }

    static func + (lhs: HTML, rhs: HTML) -> HTML { HTML(markup: lhs.markup + rhs.markup) }

    static func join(_ parts: [HTML], separator: HTML = "") -> HTML {
        HTML(markup: parts.map(\.markup).joined(separator: separator.markup))
    }

    struct Interpolation: StringInterpolationProtocol {
        var markup = ""

        init(literalCapacity: Int, interpolationCount: Int) { markup.reserveCapacity(literalCapacity * 2) }
        mutating func appendLiteral(_ literal: String) { markup += literal }
        mutating func appendInterpolation(_ html: HTML) { markup += html.markup }
        mutating func appendInterpolation(_ parts: [HTML]) { markup += parts.map(\.markup).joined() }
        mutating func appendInterpolation(_ text: String) { markup += HTML.escape(text) }
        mutating func appendInterpolation(_ text: String?) { markup += HTML.escape(text ?? "") }
        mutating func appendInterpolation(_ number: Int) { markup += String(number) }
    }

    /// Escapes text for element content and quoted attribute values.
    static func escape(_ text: String) -> String {
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
func html(_ value: HTML) -> HTML { value }
