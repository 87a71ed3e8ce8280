/// JSON written as Swift literals, for the resources Carnet builds itself (the portal's summary
/// forms): `["code": ["text": .string(name)]]` is a `JSONValue`, checked by the compiler, where an
/// untyped `[String: Any]` would be checked only when serialised.
extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral {
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
}
