import CarnetCore

/// An author's role and specialty (XDS `authorRole`, `authorSpecialty`) as IHE MHD and ANS's PDSm
/// carry them: `DocumentReference.author` names a contained `PractitionerRole` whose `code` is the
/// role and `specialty` the profession/specialty, its `practitioner` the professional.
///
/// Read from a pushed resource's contained PractitionerRole; written back for an author that has
/// none of its own (pushed over XDS.b), so a document reads the same through both doors. A document
/// pushed over MHD keeps its contained resources as sent (kept elements), so nothing is written twice.
extension DocumentReferenceResource {
    /// The prefix of the ids of the PractitionerRoles written for authors that came without one.
    static let authorRoleIDPrefix = "author-role-"

    /// The role and specialty a contained PractitionerRole gives: the first coding with a code of
    /// its first `code` and of its first `specialty`.
    static func roleAndSpecialty(of resource: ContainedResource) -> (role: Code?, specialty: Code?) {
        guard resource.resourceType == "PractitionerRole" else { return (nil, nil) }
        func first(_ element: String) -> Code? {
            guard let concept = resource.raw[element]?.array?.first,
                  let coding = concept["coding"]?.array?.first(where: { $0["code"]?.string?.isEmpty == false }),
                  let code = coding["code"]?.string else { return nil }
            return Code(system: coding["system"]?.string, code: code, display: coding["display"]?.string)
        }
        return (first("code"), first("specialty"))
    }

    /// Gives each author with a role or specialty but no reference of its own a contained
    /// PractitionerRole carrying them, and points the author at it (its identifier and name stay on
    /// the reference, for readers that look no further).
    mutating func containAuthorRoles(_ authors: [DocumentAuthor]) {
        guard var references = author, authors.count == references.count else { return }
        var taken = Set((contained ?? []).compactMap(\.id))
        var added: [ContainedResource] = []
        for (index, author) in authors.enumerated() where author.reference == nil && (author.role != nil || author.specialty != nil) {
            var id = "\(Self.authorRoleIDPrefix)\(index)"
            while taken.contains(id) { id += "-" }
            taken.insert(id)
            added.append(ContainedResource(practitionerRoleFor: author, id: id))
            references[index].reference = "#\(id)"
        }
        guard !added.isEmpty else { return }
        author = references
        contained = (contained ?? []) + added
    }
}

extension ContainedResource {
    /// A PractitionerRole for an author: its professional by identifier and name, its `code` the
    /// role and its `specialty` the specialty.
    init(practitionerRoleFor author: DocumentAuthor, id: String) {
        func concept(_ code: Code) -> JSONValue {
            var coding: [String: JSONValue] = ["code": .string(code.code)]
            if let system = code.system { coding["system"] = .string(system) }
            if let display = code.display { coding["display"] = .string(display) }
            return .array([.object(["coding": .array([.object(coding)])])])
        }
        var practitioner: [String: JSONValue] = [:]
        if let value = author.identifierValue {
            var identifier: [String: JSONValue] = ["value": .string(value)]
            if let system = author.identifierSystem { identifier["system"] = .string(system) }
            practitioner["identifier"] = .object(identifier)
        }
        if let display = author.display { practitioner["display"] = .string(display) }
        var raw: [String: JSONValue] = ["resourceType": .string("PractitionerRole"), "id": .string(id)]
        if !practitioner.isEmpty { raw["practitioner"] = .object(practitioner) }
        if let role = author.role { raw["code"] = concept(role) }
        if let specialty = author.specialty { raw["specialty"] = concept(specialty) }
        self.resourceType = "PractitionerRole"
        self.id = id
        self.identifier = nil
        self.name = nil
        self.raw = .object(raw)
    }
}
