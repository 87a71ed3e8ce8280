/// The names XDS.b messages are written with (IHE ITI TF-2 and TF-3, ebXML RegRep 3.0): namespaces,
/// SOAP actions, and the UUIDs that say what a classification or an external identifier means.
///
/// Kept in one place so a reader can check them against ITI TF-3 §4.2.5 (the metadata UUIDs) at a glance.
enum XDSVocabulary {
    enum Namespace {
        static let soap12 = "http://www.w3.org/2003/05/soap-envelope"
        static let addressing = "http://www.w3.org/2005/08/addressing"
        static let xdsb = "urn:ihe:iti:xds-b:2007"
        static let rim = "urn:oasis:names:tc:ebxml-regrep:xsd:rim:3.0"
        static let rs = "urn:oasis:names:tc:ebxml-regrep:xsd:rs:3.0"
        static let lcm = "urn:oasis:names:tc:ebxml-regrep:xsd:lcm:3.0"
        static let query = "urn:oasis:names:tc:ebxml-regrep:xsd:query:3.0"
        static let xop = "http://www.w3.org/2004/08/xop/include"
        static let rmd = "urn:ihe:iti:rmd:2017"
    }

    /// The WS-Addressing actions of the transactions served, and of their answers.
    enum Action {
        static let provideAndRegister = "urn:ihe:iti:2007:ProvideAndRegisterDocumentSet-b"
        static let retrieve = "urn:ihe:iti:2007:RetrieveDocumentSet"
        static let storedQuery = "urn:ihe:iti:2007:RegistryStoredQuery"
        static let updateDocumentSet = "urn:ihe:iti:2010:UpdateDocumentSet"

        static func response(to action: String) -> String { action + "Response" }
    }

    enum ResponseStatus {
        static let success = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Success"
        static let failure = "urn:oasis:names:tc:ebxml-regrep:ResponseStatusType:Failure"
        static let partialSuccess = "urn:ihe:iti:2007:ResponseStatusType:PartialSuccess"
    }

    enum ErrorSeverity {
        static let error = "urn:oasis:names:tc:ebxml-regrep:ErrorSeverityType:Error"
    }

    enum ObjectType {
        /// A stable DocumentEntry.
        static let stableDocument = "urn:uuid:7edca82f-054d-47f2-a032-9b2a5b5186c1"
        static let onDemandDocument = "urn:uuid:34268e47-fdf5-41a6-ba33-82133c465248"
        static let registryPackage = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:RegistryPackage"
        static let association = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Association"
        static let classification = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:Classification"
        static let externalIdentifier = "urn:oasis:names:tc:ebxml-regrep:ObjectType:RegistryObject:ExternalIdentifier"
    }

    /// DocumentEntry metadata (ITI TF-3 Table 4.2.5.1-1 and following).
    enum DocumentEntry {
        static let classCode = "urn:uuid:41a5887f-8865-4c09-adf7-e362475b143a"
        static let confidentialityCode = "urn:uuid:f4f85eac-e6cb-4883-b524-f2705394840f"
        static let eventCode = "urn:uuid:2c6b8cb7-8b2a-4051-b291-b1ae6a575ef4"
        static let formatCode = "urn:uuid:a09d5840-386c-46f2-b5ad-9c3699a4309d"
        static let healthcareFacilityTypeCode = "urn:uuid:f33fb8ac-18af-42cc-ae0e-ed0b0bdb91e1"
        static let practiceSettingCode = "urn:uuid:cccf5598-8b07-4b77-a05e-ae952c785ead"
        static let typeCode = "urn:uuid:f0306f51-975f-434e-a61c-c59651d33983"
        static let author = "urn:uuid:93606bcf-9494-43ec-9b4e-a7748d1a838d"
        static let patientID = "urn:uuid:58a6f841-87b3-4a3e-92fd-a8ffeff98427"
        static let uniqueID = "urn:uuid:2e82c1f6-a085-4c72-9da3-8640a32e42ab"
    }

    /// SubmissionSet metadata.
    enum SubmissionSet {
        static let classificationNode = "urn:uuid:a54d6aa5-d40d-43f9-88c5-b4633d873bdd"
        static let contentTypeCode = "urn:uuid:aa543740-bdda-424e-8c96-df4873be8500"
        static let author = "urn:uuid:a7058bb9-b4e4-4307-ba5b-e3f0ab85e12d"
        static let patientID = "urn:uuid:6b5aea1a-874d-4603-a4bc-96a0a7b38446"
        static let uniqueID = "urn:uuid:96fdda7c-d067-4183-912e-bf5ee74998a8"
        static let sourceID = "urn:uuid:554ac39e-e3fe-47fe-b233-965d2a147832"
    }

    enum AssociationType {
        static let hasMember = "urn:oasis:names:tc:ebxml-regrep:AssociationType:HasMember"
        static let replace = "urn:ihe:iti:2007:AssociationType:RPLC"
        static let transform = "urn:ihe:iti:2007:AssociationType:XFRM"
        static let append = "urn:ihe:iti:2007:AssociationType:APND"
        static let signs = "urn:ihe:iti:2007:AssociationType:signs"
        static let transformAndReplace = "urn:ihe:iti:2007:AssociationType:XFRM_RPLC"
    }

    /// The registry's status of a document (ebRIM `status` attribute).
    enum Status {
        static let approved = "urn:oasis:names:tc:ebxml-regrep:StatusType:Approved"
        static let deprecated = "urn:oasis:names:tc:ebxml-regrep:StatusType:Deprecated"
    }

    /// The stored queries served (ITI TF-2a §3.18.4.1.2.3.7).
    enum StoredQuery {
        static let findDocuments = "urn:uuid:14d4debf-8f97-4251-9a74-a90016b0af0d"
        static let findSubmissionSets = "urn:uuid:f26abbcb-ac74-4422-8a30-edb644bbc1a9"
        static let getDocuments = "urn:uuid:5c4f972b-d56b-40ac-a5fc-c8ca9b40b9d4"
        static let getAssociations = "urn:uuid:a7ae438b-4bc2-4642-93e9-be891f7bb155"
        static let getAll = "urn:uuid:10b545ea-725c-446d-9b95-8aeb444eddf3"
        static let getSubmissionSetAndContents = "urn:uuid:e8e3cb2c-e39c-46b9-99e4-c12f57260b83"
    }

    /// The XDS error codes used (ITI TF-3 Table 4.2.4.1-2).
    enum ErrorCode {
        static let registryError = "XDSRegistryError"
        static let repositoryError = "XDSRepositoryError"
        static let registryMetadataError = "XDSRegistryMetadataError"
        static let repositoryMetadataError = "XDSRepositoryMetadataError"
        static let patientIDDoesNotMatch = "XDSPatientIdDoesNotMatch"
        static let unknownPatientID = "XDSUnknownPatientId"
        static let documentUniqueIDError = "XDSDocumentUniqueIdError"
        static let duplicateUniqueIDInRegistry = "XDSDuplicateUniqueIdInRegistry"
        static let missingDocument = "XDSMissingDocument"
        static let missingDocumentMetadata = "XDSMissingDocumentMetadata"
        static let nonIdenticalHash = "XDSNonIdenticalHash"
        static let nonIdenticalSize = "XDSNonIdenticalSize"
        static let unknownStoredQuery = "XDSUnknownStoredQuery"
        static let storedQueryParamNumber = "XDSStoredQueryParamNumber"
        static let unknownRepositoryID = "XDSUnknownRepositoryId"
        static let unresolvedReference = "UnresolvedReferenceException"
        static let tooManyResults = "XDSTooManyResults"
        static let accessDenied = "XDSRegistryError"
        static let metadataUpdateError = "XDSMetadataUpdateError"
        static let metadataVersionError = "XDSMetadataVersionError"
    }
}
