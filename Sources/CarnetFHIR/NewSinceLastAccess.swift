/// Carnet's way of saying, in a search or `$summary`/`$everything` answer, which entries were added or
/// replaced since the reader's last access to the record (issue 18): an extension on `Bundle.entry`
/// (a BackboneElement, so it may carry one), and a search parameter asking only for those. Declared in
/// the CapabilityStatement and the OpenAPI description.
///
/// The last access is a professional's last successful read of the record before this request, or the
/// patient's previous sign-in; with none, everything the reader may see is new to them.
public enum NewSinceLastAccess {
    /// The extension's URL (a `valueBoolean`, always `true`: an entry not new carries no extension).
    public static let url = "https://carnet.example/fhir/StructureDefinition/new-since-last-access"
    /// The search parameter: `new-since-last-access=true` asks only for what is new.
    public static let parameter = "new-since-last-access"

    public static let `extension` = Extension(url: url, valueBoolean: true)

    /// The JSON of the extension, for answers built as ``JSONValue``.
    public static let json: JSONValue = .array([.object(["url": .string(url), "valueBoolean": .bool(true)])])
}
