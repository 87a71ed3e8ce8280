import CarnetPortal
import CarnetCore
import CarnetFHIR
import CarnetService
import Foundation
import HTTPTypes
import Hummingbird

/// Adding a document from a portal: its metadata (type from the DMP's list, title, date) and either a
/// file (PDF, text, image, CDA) or typed text; checked like the API checks content (the bytes must
/// be what their type says), and, for a professional, possibly replacing an earlier document.
extension PortalUpload {
    /// The document a submitted form describes, or what is wrong with it, said so it can be fixed.
    ///
    /// - Parameter authorName: the name a patient-side author is shown by (the holder's, or their
    ///   representative's description): a patient's document names them, never their raw INS.
    static func submission(from form: PortalUploadForm, author: Actor, authorName: String? = nil, maxContentSize: Int, _ l: PortalLanguage)
        -> Result<(DocumentDraft, Data), Problems> {
        var problems = Problems()
        let offered = author.isPatientSide ? PortalDocumentTypes.patient : PortalDocumentTypes.common
        let type = form.type.flatMap { code in offered.first { $0.0 == code }?.0 }
        if type == nil { problems.messages["type"] = l.t(.chooseATypeFromTheList) }
        let title = form.title
        if title == nil { problems.messages["title"] = l.t(.giveTheDocumentATitle) }
        let date = form.date.flatMap { FHIRDateValue.day($0) }
        if date == nil { problems.messages["date"] = l.t(.giveTheDateAsYyyyMm) }
        var content: (Data, String)?
        var cdaHeader: CDAHeader?
        if let file = form.file, file.size > 0 {
            let mediaType = file.contentType.split(separator: ";")[0].trimmingCharacters(in: .whitespaces).lowercased()
            let allowed = acceptedTypes.split(separator: ",").map(String.init)
            if !allowed.contains(mediaType) {
                problems.messages["file"] = l.t(.thisFileTypeIsNotAccepted(mediaType))
            } else if file.size > maxContentSize {
                problems.messages["file"] = l.t(.thisFileIsTooLargeThe(maxContentSize / 1_048_576))
            } else if let problem = ContentInspection.problem(with: file.data, mediaType: mediaType) {
                problems.messages["file"] = l.t(.theFileDoesNotMatchIts)
                    + PortalMessages.content(problem, l) + "."
            } else {
                content = (file.data, mediaType == "text/plain" ? "text/plain; charset=utf-8" : mediaType)
                cdaHeader = CDAHeaderReader.header(of: file.data, mediaType: mediaType)
            }
        } else if let text = form.text {
            content = (Data(text.utf8), "text/plain; charset=utf-8")
        } else {
            problems.messages["file"] = l.t(.attachAFileOrTypeThe)
        }
        let masked = form.masked && !author.isPatientSide, invisible = form.invisible && !author.isPatientSide
        if masked && invisible {
            problems.messages["visibility"] = l.t(.aDocumentCannotBeBothMasked2)
        }
        let fileSent = form.file.map { $0.size > 0 } ?? false
        if fileSent, content != nil, !problems.messages.isEmpty {
            problems.messages["file"] = l.t(.theFileIsFineButIt)
        } else if fileSent, let message = problems.messages["file"] {
            problems.messages["file"] = message + l.t(.chooseAnotherFile)
        }
        guard problems.messages.isEmpty, let type, let title, let date, let (data, contentType) = content else { return .failure(problems) }
        let professional = author.professional
        var authors = professional.map { [DocumentAuthor(identifierSystem: "urn:oid:1.2.250.1.71.4.2.1", identifierValue: "8\($0.rpps.value)",
                                                         display: $0.displayName)] } ?? []
        if author.isPatientSide, let authorName { authors = [DocumentAuthor(display: authorName)] }
        let system = author.isPatientSide || type.hasPrefix("EXPPAT") ? PortalDocumentTypes.patientTypeSystem : "http://loinc.org"
        var draft = DocumentDraft(uniqueID: nil, type: Code(system: system, code: type), title: title, authors: authors, date: date,
                                  contentType: contentType, language: l == .fr ? "fr-FR" : "en",
                                  replaces: form.replaces.flatMap(DocumentID.init))
        draft.cdaHeader = cdaHeader
        draft.visibility.maskedToProfessionals = masked
        draft.visibility.invisibleToPatient = invisible
        if author.isPatientSide {
            // The patient's own section (DMP: "expression personnelle du patient").
            draft.practiceSetting = PortalDocumentTypes.patientSetting
            draft.facilityType = PortalDocumentTypes.patientSetting
        }
        return .success((draft, data))
    }

    /// Reads an upload form and adds its document to `recordID` as the session's actor: a redirect to
    /// `documentPath` + the new id, or a page saying what to fix with a link back to `back`.
    static func handle(_ request: Request, _ context: CarnetRequestContext, session: PortalSessions.Session, recordID: RecordID,
                       service: RecordService, configuration: CarnetConfiguration, documentPath: String, back: String,
                       authorName: String? = nil) async throws -> Response {
        let l = PortalLanguage.from(request)
        let form = try await PortalForm.readUpload(request, expectedToken: session.csrfToken, fileLimit: configuration.maxContentSize)
        switch submission(from: form, author: session.actor, authorName: authorName, maxContentSize: configuration.maxContentSize, l) {
        case .failure(let problems):
            return refused(request, session: session, form: form, problems: problems, back: back, status: .badRequest, l)
        case .success(let (draft, data)):
            let entry: DocumentEntry
            do {
                entry = try await service.publishDocument(draft, content: data, for: .record(recordID), by: session.actor)
            } catch let error as FHIRInputError {
                // Refused by the same checks as the API's: said beside the field it came from, or atop the form.
                var problems = Problems()
                let message = PortalProblemMessages.fhirInput(error, l)
                if let field = PortalProblemMessages.field(for: error.expression), field.id.hasPrefix("doc-") {
                    problems.messages[String(field.id.dropFirst(4))] = message
                    return refused(request, session: session, form: form, problems: problems, back: back, status: .badRequest, l)
                }
                return refused(request, session: session, form: form, problems: problems, back: back, status: .badRequest, l, atop: message)
            } catch let error as DocumentError {
                return refused(request, session: session, form: form, problems: Problems(), back: back, status: .conflict, l,
                               atop: PortalProblemMessages.document(error, l))
            } catch let error as DocumentInputError {
                return refused(request, session: session, form: form, problems: Problems(), back: back, status: .conflict, l,
                               atop: PortalProblemMessages.documentInput(error, l))
            } catch let error as RecordError {
                return refused(request, session: session, form: form, problems: Problems(), back: back, status: .conflict, l,
                               atop: PortalProblemMessages.record(error, l))
            } catch let error as CDAHeaderMismatch {
                var problems = Problems()
                problems.messages[error.field == "DocumentReference.type" ? "type" : "file"] = PortalProblemMessages.cdaHeader(error, l)
                return refused(request, session: session, form: form, problems: problems, back: back, status: .unprocessableContent, l)
            } catch let error as DocumentLabelError {
                return refused(request, session: session, form: form, problems: Problems(), back: back, status: .badRequest, l,
                               atop: PortalProblemMessages.label(error, l))
            }
            return PortalPage.redirect("\(documentPath)\(entry.id)")
        }
    }

    /// The form again, as typed, each message beside its field (``PortalUpload/refused(action:csrf:form:problems:back:heading:patientSide:_:atop:)``).
    static func refused(_ request: Request, session: PortalSessions.Session, form: PortalUploadForm, problems: Problems, back: String,
                        status: HTTPResponse.Status, _ l: PortalLanguage, atop: String? = nil) -> Response {
        let heading = form.heading ?? l.t(.addADocument)
        let body = refused(action: request.uri.path, csrf: session.csrfToken, form: form, problems: problems, back: back, heading: heading,
                           patientSide: session.actor.isPatientSide, l, atop: atop)
        return PortalPage(title: heading, language: l, session: session, path: back, body: body).response(status: status)
    }
}
