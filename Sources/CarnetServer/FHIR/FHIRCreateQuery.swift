import CarnetFHIR
import Hummingbird

/// A create (`POST [type]`) takes no search parameters: R4's conditional create puts its criteria in
/// the `If-None-Exist` header (http.html#ccreate). Some clients put them in the URL instead (fhirpy's
/// `get_or_create` sends `POST [type]?criteria`, as Aidbox reads it); a server that ignored them
/// would create a duplicate the client believes it avoided, so they are refused, naming the
/// parameter and saying where the criteria go. `_format` and `_pretty` change only the answer's form.
enum FHIRCreateQuery {
    static func refuseCriteria(_ request: Request, type: String) throws {
        for (name, _) in request.uri.queryParameters where !["_format", "_pretty"].contains(String(name)) {
            throw FHIRInputError("a create of a \(type) takes no search parameters: send conditional-create criteria in the If-None-Exist header",
                                 at: String(name), code: "not-supported")
        }
    }
}
