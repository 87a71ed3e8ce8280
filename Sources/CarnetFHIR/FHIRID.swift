/// FHIR R4's `id` type (datatypes.html#id): 1 to 64 of `A-Z a-z 0-9 - .`.
///
/// Searches by `_id` tell an id apart from garbage with it: an id this server never gives (a UUID is
/// all Carnet gives) matches nothing, as an unknown id does, while a value that is no id at all is a
/// client's mistake said as a 400.
public enum FHIRID {
    public static func isValid(_ value: String) -> Bool {
        (1...64).contains(value.utf8.count) && value.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x2D || byte == 0x2E
        }
    }
}
