package import CarnetCore
package import CarnetFHIR
package import CarnetService

/// Bad input and conflicts as a portal page says them: in the page's language, what is wrong and
/// how to fix it (ARCHITECTURE.md, invariant 5: "portal pages show the message in place").
///
/// The domain's errors describe themselves in English for the API's `OperationOutcome` and the
/// logs, in a developer's terms (FHIRPath, status codes); a person filling a form needs neither, so
/// each is written again here for both languages, and the form field it concerns is named, so the
/// page can say it beside that field.
package enum PortalProblemMessages {
    /// A record change that its state or a concurrent change refused.
    package static func record(_ error: RecordError, _ l: PortalLanguage) -> String {
        switch error {
        case .illegalTransition(.closed, .close):
            l.t(.thisRecordIsAlreadyClosedNothing)
        case .illegalTransition(.active, .reopen):
            l.t(.thisRecordIsAlreadyOpenNothing)
        case .illegalTransition(.deleted, _):
            l.t(.thisRecordIsDeletedTheHealth)
        case .illegalTransition:
            l.t(.thisActionIsNotPossibleIn)
        case .notFound:
            l.t(.noRecordMatches)
        case .versionConflict:
            l.t(.recordChangedMeanwhile)
        }
    }

    /// A document status or visibility that does not allow what was asked.
    package static func document(_ error: DocumentError, _ l: PortalLanguage) -> String {
        switch error {
        case .illegalTransition(.superseded, .replace):
            l.t(.thisDocumentHasAlreadyBeenReplaced)
        case .illegalTransition(.archived, .archive):
            l.t(.thisDocumentIsAlreadyArchived)
        case .illegalTransition(.current, .unarchive):
            l.t(.thisDocumentIsNotArchived)
        case .illegalTransition(.deleted, _):
            l.t(.thisDocumentIsDeletedItCan)
        case .illegalTransition:
            l.t(.thisDocumentCannotBeChangedThis)
        case .conflictingVisibility:
            l.t(.aDocumentCannotBeBothMasked)
        }
    }

    /// A submitted document that collides with the record's content.
    package static func documentInput(_ error: DocumentInputError, _ l: PortalLanguage) -> String {
        switch error {
        case .duplicateUniqueID, .ambiguousUniqueID:
            l.t(.thisDocumentIsAlreadyInThe)
        case .uniqueIDUnavailable:
            l.t(.thisDocumentsIdentifierCannotBeUsed)
        case .duplicateSubmissionSet:
            l.t(.thisSubmissionWasAlreadyReceivedIt)
        case .versionMismatch:
            l.t(.thisDocumentChangedSinceThePage)
        case .relatedDocumentNotFound:
            l.t(.theDocumentThisOneRelatesTo)
        case .replacedDocumentNotFound:
            l.t(.theDocumentToReplaceIsNo)
        }
    }

    /// A CDA file whose own header contradicts the form (issue 18): another patient's document, or another type.
    package static func cdaHeader(_ error: CDAHeaderMismatch, _ l: PortalLanguage) -> String {
        switch error {
        case .patient(let document, _):
            l.t(.thisCdaDocumentIsAboutAnother(document))
        case .type(let document, let declared):
            l.t(.theTypeChosenDoesNotMatch(declared, document))
        }
    }

    /// A summary item that changed or went away since the page was shown.
    package static func summaryItem(_ error: SummaryItemError, _ l: PortalLanguage) -> String {
        switch error {
        case .deleted:
            l.t(.thisItemHasAlreadyBeenDeleted)
        case .versionMismatch:
            l.t(.itemChangedMeanwhile)
        case .kindChanged, .patientChanged:
            l.t(.thisItemCannotBecomeAnotherKind)
        }
    }

    /// Security labels a document cannot carry.
    package static func label(_ error: DocumentLabelError, _ l: PortalLanguage) -> String {
        switch error {
        case .maskedAndInvisible: document(.conflictingVisibility, l)
        case .unknownVisibilityCode, .unknownConfidentiality:
            l.t(.thisVisibilityOrConfidentialityLevelDoes)
        }
    }

    /// A FHIR resource built from a form that Carnet's checks refused: the field it concerns by its
    /// label on the form, what is wrong with it, and what to do.
    package static func fhirInput(_ error: FHIRInputError, _ l: PortalLanguage) -> String {
        let label = field(for: error.expression).map { l.t($0.label) }
        let message = error.message
        let what: String
        if message.hasPrefix("is required") {
            what = l.t(.isRequiredFillItIn)
        } else if message.hasPrefix("must be one of") || message.hasPrefix("must be coded with one of") {
            what = l.t(.doesNotHaveAnAllowedValue)
        } else if message.hasPrefix("must not be empty") || message.hasPrefix("must not be an empty") {
            what = l.t(.isEmptyFillItInOr)
        } else if message.hasPrefix("has the wrong type") {
            what = l.t(.isNotInTheExpectedFormat)
        } else if message.hasPrefix("the resource nests deeper") {
            what = l.t(.nestsTooDeeplyToBeAccepted)
        } else {
            what = l.t(.isNotAcceptedAsItIs)
        }
        return (label ?? l.t(.theFormSent)) + " " + what
    }

    /// A message written as a clause ("le professionnel … n'est pas bloqué") as a sentence of its own.
    package static func sentence(_ clause: String) -> String {
        guard let first = clause.first else { return clause }
        return first.uppercased() + clause.dropFirst() + (clause.hasSuffix(".") ? "" : ".")
    }

    /// A field of the portal's forms as a person reads its label, with the id it has on the page.
    package struct Field {
        package var id: String
        /// The field's label, in the catalogue.
        package var label: PortalMessage

        package init(id: String, label: PortalMessage) {
            self.id = id
            self.label = label
        }
    }

    /// The portal form field a FHIRPath names (the summary forms and the document upload build
    /// their resources from these fields); `nil` when none does.
    package static func field(for expression: String?) -> Field? {
        guard let expression else { return nil }
        let known: [(String, Field)] = [
            ("RelatedPerson.name", Field(id: "contact-family", label: .fieldContactFamily)),
            ("RelatedPerson.telecom", Field(id: "contact-phone", label: .fieldContactPhone)),
            ("RelatedPerson.relationship", Field(id: "contact-role", label: .fieldContactRole)),
            ("AllergyIntolerance.code", Field(id: "allergy-substance", label: .fieldAllergySubstance)),
            ("AllergyIntolerance.criticality", Field(id: "allergy-criticality", label: .fieldAllergyCriticality)),
            ("Observation.value", Field(id: "blood-group", label: .fieldBloodGroup)),
            ("Consent.provision", Field(id: "stance", label: .fieldStance)),
            ("DocumentReference.type", Field(id: "doc-type", label: .fieldDocType)),
            ("DocumentReference.description", Field(id: "doc-title", label: .fieldDocTitle)),
            ("DocumentReference.date", Field(id: "doc-date", label: .fieldDocDate)),
            ("DocumentReference.content", Field(id: "doc-file", label: .fieldDocFile)),
            ("Binary", Field(id: "doc-file", label: .fieldDocFile)),
        ]
        return known.first { expression == $0.0 || expression.hasPrefix($0.0 + ".") || expression.hasPrefix($0.0 + "[") }?.1
            ?? known.first { expression.hasPrefix($0.0) }?.1
    }
}
