import CarnetCore
import CarnetFHIR
@testable import CarnetServer
import CarnetService
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import Testing

/// One error protocol, two renderers (issue 15): every error a client can cause has one meaning, and
/// the FHIR renderer answers it with that status (the portal reads the same table).
@Suite("Error meanings")
struct ErrorMeaningTests {
    static let samples: [(any Error, HTTPResponse.Status)] = [
        (FHIRInputError("x", at: "a"), .badRequest),
        (FHIRInputError("x", at: "a", code: "too-costly"), .contentTooLarge),
        (DocumentInputError.duplicateUniqueID("u"), .conflict),
        (DocumentInputError.uniqueIDUnavailable("u"), .conflict),
        (DocumentInputError.duplicateSubmissionSet("u"), .conflict),
        (DocumentInputError.replacedDocumentNotFound(DocumentID()), .unprocessableContent),
        (DocumentInputError.relatedDocumentNotFound(DocumentID(), at: "DocumentReference.relatesTo[0].target"), .unprocessableContent),
        (DocumentInputError.ambiguousUniqueID("u"), .preconditionFailed),
        (DocumentLabelError.unknownVisibilityCode("X"), .unprocessableContent),
        (DocumentError.conflictingVisibility, .conflict),
        (AccessChangeError.careTeamOpposed, .conflict),
        (SummaryItemError.patientChanged, .badRequest),
        (SummaryItemError.versionMismatch(current: 2), .preconditionFailed),
        (StoreError.versionConflict, .conflict),
        (StoreError.duplicateDocument(uniqueID: "u"), .conflict),
        (StoreError.closed, .serviceUnavailable),
        (StoreError.unavailable("connectionError"), .serviceUnavailable),
        (AccessError.notFound, .notFound),
        (AccessError.denied(.roleNotAllowed), .forbidden),
        (RecordError.notFound, .notFound),
        (RecordError.versionConflict, .conflict),
    ]

    @Test("each known error has one status, and the FHIR renderer answers with it")
    func oneTable() {
        for (error, status) in Self.samples {
            #expect(ErrorMeaning.of(error)?.status == status, "\(error)")
            #expect(FHIRErrorMiddleware.map(error).0 == status, "\(error)")
            #expect(FHIRErrorMiddleware.map(error).1.issue.first?.code == ErrorMeaning.of(error)?.code, "\(error)")
        }
        #expect(ErrorMeaning.of(StoreError.corruptRow("x")) == nil, "an internal fault is no client's error")
        #expect(FHIRErrorMiddleware.map(StoreError.corruptRow("secret detail")).0 == .internalServerError)
    }

    @Test("a store's duplicate never says which document holds the id")
    func storeDuplicateWords() {
        let outcome = FHIRErrorMiddleware.map(StoreError.duplicateDocument(uniqueID: "1.2.3")).1
        #expect(outcome.issue.first?.diagnostics?.contains("already") == false)
    }
}
