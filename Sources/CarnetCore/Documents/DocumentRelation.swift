/// A link from a new document to one already in the record, other than a replacement (FHIR R4
/// `relatesTo` with `appends`, `transforms` or `signs`; XDS APND, XFRM, signs). Kept and served back
/// so a sender's links are not lost; its target must exist and be one the sender may see, or the
/// document is refused as if the target were missing.
public struct DocumentRelation: Hashable, Sendable, Codable {
    /// The relation's code, as FHIR R4's `document-relationship-type` spells it (`replaces` is ``DocumentEntry/replaces``).
    public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
        case appends, transforms, signs
    }

    public var code: Kind
    public var target: DocumentID

    public init(code: Kind, target: DocumentID) {
        self.code = code
        self.target = target
    }
}
