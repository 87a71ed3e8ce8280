public import CarnetCore
public import Foundation

/// An IHE MHD ITI-65 "Provide Document Bundle" (DMP TD2/TD2.1): a `transaction` Bundle with a
/// SubmissionSet `List`, `DocumentReference`s, their `Binary` contents (referenced by `urn:uuid`),
/// and, for a replacement, PDSm's FHIRPath `PATCH` of the replaced document's status.
public struct TransactionBundle: Decodable, Sendable {
    public var resourceType: String
    public var type: String?
    public var entry: [Entry]?

    public struct Entry: Decodable, Sendable {
        public var fullUrl: String?
        public var resource: BundleResource?
        public var request: Request?
    }

    public struct Request: Decodable, Sendable {
        public var method: String?
        public var url: String?
    }

    /// The documents of the submission, ready for the service, with what each request entry becomes.
    public struct Submission: Sendable {
        public var subject: DocumentSubjectReference
        public var documents: [DocumentInput]
        /// The SubmissionSet `List`, when the Bundle has one.
        public var submissionSet: SubmissionSetDraft?
        /// For each request entry, in order: which document it produced, or what else it was.
        public var outcomes: [EntryOutcome]
    }

    public enum EntryOutcome: Sendable, Equatable {
        /// The n-th document of ``Submission/documents``.
        case document(Int)
        /// The content of the n-th document.
        case content(Int)
        /// The SubmissionSet.
        case submissionSet
        /// The status PATCH of a document replaced by the n-th document.
        case supersession(Int)
    }

    /// Reads the bundle into documents, all-or-nothing: the first faulty entry is named in the error.
    public func submission(keyChecking: INS.KeyChecking, now: Date, maxContentSize: Int) throws(FHIRInputError) -> Submission {
        guard resourceType == "Bundle" else { throw FHIRInputError("is '\(resourceType)', expected 'Bundle'", at: "resourceType") }
        guard type == "transaction" else {
            throw FHIRInputError("is '\(type ?? "")': a document submission is a 'transaction' Bundle", at: "Bundle.type")
        }
        let entries = entry ?? []
        var binaries: [String: (index: Int, binary: BinaryResource)] = [:]
        for (index, entry) in entries.enumerated() {
            if case .binary(let binary)? = entry.resource, let fullUrl = entry.fullUrl { binaries[fullUrl] = (index, binary) }
        }
        // Documents another of this Bundle relates to by fullUrl get their ids now, so the link can name them.
        var bundleDocuments: [String: DocumentID] = [:]
        for entry in entries {
            if case .documentReference? = entry.resource, let fullUrl = entry.fullUrl { bundleDocuments[fullUrl] = DocumentID() }
        }
        var documents: [DocumentInput] = []
        var outcomes: [EntryOutcome?] = Array(repeating: nil, count: entries.count)
        var patches: [(index: Int, target: String)] = []
        var submissionSet: (index: Int, list: SubmissionSetList, draft: SubmissionSetDraft)?
        for (index, entry) in entries.enumerated() {
            let path = "Bundle.entry[\(index)]"
            switch entry.resource {
            case .documentReference(var document)?:
                if let url = document.content?.first?.attachment?.url, url.hasPrefix("urn:uuid:") || url.hasPrefix("urn:oid:") {
                    guard let (binaryIndex, binary) = binaries[url] else {
                        throw FHIRInputError("'\(url)' names no Binary entry of this Bundle", at: "\(path).resource.content[0].attachment.url")
                    }
                    document.content?[0].attachment?.data = binary.data
                    document.content?[0].attachment?.url = nil
                    outcomes[binaryIndex] = .content(documents.count)
                }
                try Self.resolveBundleLinks(&document, fullUrl: entry.fullUrl, in: bundleDocuments, path: "\(path).resource.relatesTo")
                var input = try document.input(path: "\(path).resource", keyChecking: keyChecking, now: now, maxContentSize: maxContentSize)
                input.draft.id = entry.fullUrl.flatMap { bundleDocuments[$0] }
                documents.append(input)
                outcomes[index] = .document(documents.count - 1)
            case .binary?:
                continue
            case .list(let list)?:
                // Said before anything else about the List: a Folder is a feature Carnet lacks, not a second SubmissionSet.
                if list.isFolder {
                    throw FHIRInputError("MHD Folders are not supported by this server: submit the documents with their SubmissionSet only",
                                         at: "\(path).resource.code", code: "not-supported")
                }
                guard submissionSet == nil else {
                    throw FHIRInputError("a Bundle holds one SubmissionSet; this is a second List", at: "\(path).resource", code: "not-supported")
                }
                submissionSet = (index, list, try list.draft(path: "\(path).resource"))
                outcomes[index] = .submissionSet
            case .parameters(let patch)?:
                guard entry.request?.method?.uppercased() == "PATCH", let target = entry.request?.url, patch.setsDocumentStatus(to: "superseded") else {
                    throw FHIRInputError("only a FHIRPath Patch setting DocumentReference.status to 'superseded' (TD2.1) is accepted here",
                                         at: "\(path).resource", code: "not-supported")
                }
                patches.append((index, target))
            case .other(let type)?:
                throw FHIRInputError("a \(type) cannot be submitted in a document Bundle: expected List, DocumentReference, Binary",
                                     at: "\(path).resource.resourceType", code: "not-supported")
            case nil:
                throw FHIRInputError("is required", at: "\(path).resource", code: "required")
            }
        }
        guard let subject = documents.first?.subject else {
            throw FHIRInputError("the Bundle holds no DocumentReference", at: "Bundle.entry", code: "required")
        }
        if let other = documents.firstIndex(where: { $0.subject != subject }) {
            throw FHIRInputError("a submission is about one patient; this document names another", at: "Bundle.entry[\(outcomes.firstIndex(of: .document(other)) ?? 0)].resource.subject")
        }
        for (index, target) in patches {
            // The patch must supersede what a document of this Bundle replaces: replacing is what supersedes.
            guard let replacing = documents.firstIndex(where: { $0.draft.replaces.map { "DocumentReference/\($0)" } == target }) else {
                throw FHIRInputError("'\(target)' is not replaced by any DocumentReference of this Bundle (relatesTo replaces)",
                                     at: "Bundle.entry[\(index)].request.url")
            }
            outcomes[index] = .supersession(replacing)
        }
        if let (index, list, _) = submissionSet {
            let documentURLs = Set(entries.indices.filter { outcomes[$0].map { if case .document = $0 { true } else { false } } == true }
                .compactMap { entries[$0].fullUrl })
            for (position, listEntry) in (list.entry ?? []).enumerated() where !documentURLs.contains(listEntry.item?.reference ?? "") {
                throw FHIRInputError("'\(listEntry.item?.reference ?? "")' is not the fullUrl of a DocumentReference of this Bundle",
                                     at: "Bundle.entry[\(index)].resource.entry[\(position)].item")
            }
        }
        if let unused = outcomes.indices.first(where: { outcomes[$0] == nil }) {
            throw FHIRInputError("this Binary is referenced by no DocumentReference", at: "Bundle.entry[\(unused)]")
        }
        return Submission(subject: subject, documents: documents, submissionSet: submissionSet?.draft, outcomes: outcomes.compactMap { $0 })
    }
}

extension TransactionBundle {
    /// ITI-65: a `relatesTo` (appends, transforms, signs) whose target is the `urn:uuid` fullUrl of
    /// another DocumentReference of the same Bundle names that document, once stored: the target is
    /// rewritten to the id it will have. A `urn:uuid` or `urn:oid` naming nothing in the Bundle is
    /// refused here, naming it (it could never be a stored document). Every document of the Bundle is
    /// then stored under the id `ids` gave its fullUrl.
    static func resolveBundleLinks(_ document: inout DocumentReferenceResource, fullUrl: String?, in ids: [String: DocumentID],
                                   path: String) throws(FHIRInputError) {
        guard let relations = document.relatesTo else { return }
        for (index, relation) in relations.enumerated() {
            guard let target = relation.target?.reference, target.hasPrefix("urn:uuid:") || target.hasPrefix("urn:oid:") else { continue }
            let at = "\(path)[\(index)].target"
            guard target != fullUrl else { throw FHIRInputError("'\(target)' is this document itself: a document relates to another", at: at) }
            guard let id = ids[target] else {
                throw FHIRInputError("'\(target)' names no DocumentReference of this Bundle: give the fullUrl of one of its entries, or DocumentReference/<id>",
                                     at: at)
            }
            guard relation.code != "replaces" else {
                throw FHIRInputError("'\(target)' is a document of this Bundle: a new document cannot be replaced in the submission that adds it", at: at)
            }
            document.relatesTo?[index].target?.reference = "DocumentReference/\(id)"
        }
    }
}

/// A resource inside a Bundle entry, decoded by its `resourceType`.
public enum BundleResource: Decodable, Sendable {
    case documentReference(DocumentReferenceResource)
    case binary(BinaryResource)
    case list(SubmissionSetList)
    case parameters(ParametersResource)
    case other(String)

    private struct Kind: Decodable { var resourceType: String }

    public init(from decoder: any Decoder) throws {
        switch try Kind(from: decoder).resourceType {
        case "DocumentReference": self = .documentReference(try DocumentReferenceResource(from: decoder))
        case "Binary": self = .binary(try BinaryResource(from: decoder))
        case "List": self = .list(try SubmissionSetList(from: decoder))
        case "Parameters": self = .parameters(try ParametersResource(from: decoder))
        case let other: self = .other(other)
        }
    }
}

/// The answer to a transaction: one response per request entry, in order.
public struct TransactionResponseBundle: Encodable, Sendable {
    public let resourceType = "Bundle"
    public let type = "transaction-response"
    public var entry: [Entry]

    public struct Entry: Encodable, Sendable {
        public var response: Response

        public init(response: Response) { self.response = response }
    }

    public struct Response: Encodable, Sendable {
        public var status: String
        public var location: String?

        public init(status: String, location: String?) {
            self.status = status
            self.location = location
        }
    }

    public init(entry: [Entry]) { self.entry = entry }

    enum CodingKeys: String, CodingKey { case resourceType, type, entry }
}
