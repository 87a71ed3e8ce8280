import CarnetCore
import CarnetStore
import CarnetTestSupport
import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import Testing

/// The leak suite, continued: the history (FHIR AuditEvent search and the portal's page), summary
/// items, consents and notifications under every visibility label — masked, not visible to the
/// patient, not visible to the representatives, a minor's secret connection (issues 16.1, 23 and 24).
extension LeakTests {
    /// A record's whole history as `headers` reads it (one page): the events' text, how many, and the
    /// total; then a page of two, whose total must count the same events plus the first read's own.
    func history(_ client: any TestClientProtocol, _ patientID: String, _ headers: HTTPFields) async throws -> (text: String, count: Int, totals: Set<Int>) {
        let whole = try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)&_count=100", method: .get, headers: headers)
        #expect(whole.status == .ok, "\(whole.text)")
        let count = ids(whole).count
        let page = try await client.execute(uri: "/fhir/AuditEvent?patient=\(patientID)&_count=2", method: .get, headers: headers)
        // Reading the history is itself audited: the second read counts the first one too.
        let paged = (page.json["total"] as? Int ?? -1) - 1
        #expect(ids(page).count == min(2, count + 1))
        return (whole.text, count, [whole.json["total"] as? Int ?? -1, paged])
    }

    @Test("attack: reading the history to learn of a document not visible to the patient — absent from pages, totals and the portal",
          arguments: TestEngine.available)
    func historyHidesWhatThePatientMayNotSee(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let world = try await world(client, tokens)
            let seen = try await history(client, world.patientID, world.holder)
            #expect(!seen.text.contains(world.hiddenFromPatient), "no event names the document to be announced")
            #expect(seen.totals == [seen.count], "the total counts only the events the holder sees: \(seen.totals) vs \(seen.count)")
            #expect(seen.text.contains(world.masked) && world.plain.allSatisfy(seen.text.contains),
                    "masked documents are the holder's to see, and so is their history")

            let recordID = try #require(RecordID(world.patientID))
            let jar = PortalRoutesTests.Jar()
            try await PortalRoutesTests.signIn(client, store, jar, ins: .fixture(), recordID: recordID)
            let page = try await jar.get(client, "/portal/patient/history")
            let added = try await jar.post(client, "/portal/patient/history",
                                           ["_csrf": PortalRoutesTests.csrf(in: page), "who": "all", "action": Action.createDocument.rawValue])
            #expect(added.text.contains("<p>4 ") && !added.text.contains(world.hiddenFromPatient),
                    "four documents added as the holder sees them, not five")
        }
    }

    /// A minor (born 2015) whose parent represents them; the author adds a plain document and one not
    /// visible to the representatives; a professional in a secret connection adds a document and a
    /// Condition, and declares the minor's consent.
    struct MinorWorld {
        let patientID: String
        let plain: String
        let invisibleToRepresentatives: String
        let secretDocument: String
        let secretCondition: String
        let parent: HTTPFields
        let holder: HTTPFields
        static let secretRPPS = "99700000033"
    }

    func minorWorld(_ client: any TestClientProtocol, _ tokens: Tokens) async throws -> MinorWorld {
        let patientID = try await createPatient(client, tokens, birthDate: "2015-03-01")
        try await PortalRepresentedListTests.change(client, tokens, patientID, .fixture(77), "add")
        let author = try await tokens.bearer(.doctor())
        let plain = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody())
        let invisible = try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody(
            labels: AccessControlRoutesTests.label("INVISIBLE_REPRESENTANTS_LEGAUX")))
        let secret = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS(MinorWorld.secretRPPS), profession: .physician)),
                                                   secretConnection: true))
        let secretDocument = try await DocumentRoutesTests.push(client, secret, DocumentRoutesTests.documentBody())
        let condition = try await SummaryRoutesTests.post(client, secret, "Condition", SummaryRoutesTests.condition(patientID))
        #expect([plain, invisible, secretDocument, condition].allSatisfy { $0.status == .created })
        let declared = try await client.execute(uri: "/fhir/Patient/\(patientID)/$authorize", method: .post, headers: secret + fhirJSON,
                                                body: .json(#"{"resourceType": "Parameters"}"#))
        #expect(declared.status == .ok, "\(declared.text)")
        // Events naming nothing hidden: an existence check, and a read of a document the parent also sees.
        let ins = INS.fixture()
        let check = try await client.execute(uri: "/fhir/Patient?identifier=\(ins.system.uri)%7C\(ins.value)", method: .get, headers: secret)
        let read = try await client.execute(uri: "/fhir/DocumentReference/\(try #require(plain.json["id"] as? String))", method: .get, headers: secret)
        #expect(check.status == .ok && read.status == .ok, "\(check.text) \(read.text)")
        return MinorWorld(patientID: patientID, plain: try #require(plain.json["id"] as? String),
                          invisibleToRepresentatives: try #require(invisible.json["id"] as? String),
                          secretDocument: try #require(secretDocument.json["id"] as? String),
                          secretCondition: try #require(condition.json["id"] as? String),
                          parent: try await tokens.bearer(.patient(.fixture(77))), holder: try await tokens.bearer(.patient(.fixture())))
    }

    @Test("attack: a parent reads the minor's history to find the secret connection — no event of its documents, item, consent or professional",
          arguments: TestEngine.available)
    func historyHidesTheSecretConnection(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await minorWorld(client, tokens)
            let parent = try await history(client, world.patientID, world.parent)
            for hidden in [world.invisibleToRepresentatives, world.secretDocument, world.secretCondition, MinorWorld.secretRPPS] {
                #expect(!parent.text.contains(hidden), "the parent's history names \(hidden)")
            }
            #expect(parent.text.contains(world.plain) && parent.totals == [parent.count])
            let holder = try await history(client, world.patientID, world.holder)
            #expect([world.secretDocument, world.secretCondition, MinorWorld.secretRPPS].allSatisfy(holder.text.contains),
                    "the minor sees their own confidential care")
        }
    }

    @Test("attack: the secret connection's professional is announced by a first-access notification the parent may receive",
          arguments: TestEngine.available)
    func notificationsKeepTheSecretConnection(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let world = try await minorWorld(client, tokens)
            let notices = try await store.notifications(recordID: try #require(RecordID(world.patientID)))
            #expect(!notices.contains { $0.notification.message.contains(MinorWorld.secretRPPS) }, "\(notices.map(\.notification.message))")
        }
    }

    @Test("attack: a parent looks for the secret connection's Condition by search, id, $summary and $everything", arguments: TestEngine.available)
    func summaryHidesTheSecretConnection(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await minorWorld(client, tokens)
            let missing = UUID().uuidString.lowercased()
            let byID = try await client.execute(uri: "/fhir/Condition/\(world.secretCondition)", method: .get, headers: world.parent)
            let random = try await client.execute(uri: "/fhir/Condition/\(missing)", method: .get, headers: world.parent)
            #expect(byID.status == .notFound && byID.diagnostics == random.diagnostics, "\(byID.status) \(byID.text)")
            let history = try await client.execute(uri: "/fhir/Condition/\(world.secretCondition)/_history", method: .get, headers: world.parent)
            #expect(history.status == .notFound)
            for uri in ["/fhir/Condition?patient=\(world.patientID)", "/fhir/Patient/\(world.patientID)/$summary",
                        "/fhir/Patient/\(world.patientID)/$everything"] {
                let response = try await client.execute(uri: uri, method: .get, headers: world.parent)
                #expect(response.status == .ok && !response.text.contains(world.secretCondition) && !response.text.contains("44054006"),
                        "\(uri) shows the secret Condition to the parent")
                #expect(!response.text.contains(world.secretDocument))
                let mine = try await client.execute(uri: uri, method: .get, headers: world.holder)
                #expect(mine.text.contains(world.secretCondition), "\(uri): the minor sees it")
            }
            // A later version, recorded outside the secret connection, keeps the item hidden from the parent.
            let sameProfessional = try await tokens.bearer(.doctor(MinorWorld.secretRPPS))
            let changed = try await client.execute(uri: "/fhir/Condition/\(world.secretCondition)", method: .put,
                                                   headers: sameProfessional + fhirJSON,
                                                   body: .json(SummaryLifecycleTests.withID(SummaryRoutesTests.condition(world.patientID), world.secretCondition)))
            #expect(changed.status == .ok, "\(changed.text)")
            #expect(try await client.execute(uri: "/fhir/Condition/\(world.secretCondition)", method: .get, headers: world.parent).status == .notFound)
        }
    }

    @Test("attack: a parent reads the Consent list to find the professional of the secret connection", arguments: TestEngine.available)
    func consentsHideTheSecretConnection(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await minorWorld(client, tokens)
            let parent = try await client.execute(uri: "/fhir/Consent?patient=\(world.patientID)", method: .get, headers: world.parent)
            #expect(parent.status == .ok && !parent.text.contains(MinorWorld.secretRPPS), "\(parent.text)")
            let holder = try await client.execute(uri: "/fhir/Consent?patient=\(world.patientID)", method: .get, headers: world.holder)
            #expect(holder.text.contains(MinorWorld.secretRPPS))
        }
    }

    @Test("attack: a new-document notification announces a document the patient may not see yet, or a secret connection's",
          arguments: TestEngine.available)
    func notificationsFollowVisibility(_ engine: TestEngine) async throws {
        try await withCarnetStore(engine) { client, tokens, store in
            let patientID = try await createPatient(client, tokens, birthDate: "2015-03-01")
            let holder = try await tokens.bearer(.patient(.fixture()))
            let wanted = try await client.execute(uri: "/fhir/Patient/\(patientID)/$notification-preferences", method: .post, headers: holder + fhirJSON,
                                                  body: .json(#"{"resourceType": "Parameters", "parameter": [{"name": "newDocuments", "valueBoolean": true}]}"#))
            #expect(wanted.status == .ok, "\(wanted.text)")
            let author = try await tokens.bearer(.doctor())
            let secret = try await tokens.bearer(Actor(role: .professional(Professional(rpps: try RPPS("99700000033"), profession: .physician)),
                                                       secretConnection: true))
            for (headers, labels) in [(author, AccessControlRoutesTests.label("INVISIBLE_PATIENT")),
                                      (author, AccessControlRoutesTests.label("INVISIBLE_REPRESENTANTS_LEGAUX")), (secret, "")] {
                #expect(try await DocumentRoutesTests.push(client, headers, DocumentRoutesTests.documentBody(labels: labels)).status == .created)
            }
            let recordID = try #require(RecordID(patientID))
            #expect(try await store.notifications(recordID: recordID).filter { $0.notification.kind == .newDocument }.isEmpty)
            #expect(try await DocumentRoutesTests.push(client, author, DocumentRoutesTests.documentBody()).status == .created)
            #expect(try await store.notifications(recordID: recordID).filter { $0.notification.kind == .newDocument }.count == 1,
                    "a document the patient sees is announced")
        }
    }

    @Test("attack: an authorised physician lists a withdrawn (entered-in-error) document by search", arguments: TestEngine.available)
    func withdrawnDocumentsLeaveSearches(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await world(client, tokens)
            let author = try await tokens.bearer(.doctor())
            let withdraw = ByteBuffer.json(#"[{"op": "replace", "path": "/status", "value": "entered-in-error"}]"#)
            let withdrawn = try await client.execute(uri: "/fhir/DocumentReference/\(world.plain[0])", method: .patch,
                                                     headers: author + DocumentLifecycleTests.jsonPatch, body: withdraw)
            #expect(withdrawn.status == .ok, "\(withdrawn.text)")
            let query = "/fhir/DocumentReference?patient=\(world.patientID)&status=current,entered-in-error"
            let other = try await client.execute(uri: query, method: .get, headers: world.physician)
            #expect(!other.text.contains(world.plain[0]) && other.json["total"] as? Int == 3, "\(other.text)")
            let byID = try await client.execute(uri: "/fhir/DocumentReference?_id=\(world.plain[0])", method: .get, headers: world.physician)
            #expect(byID.json["total"] as? Int == 0)
            for headers in [author, world.holder] {
                #expect(try await client.execute(uri: query, method: .get, headers: headers).text.contains(world.plain[0]),
                        "the author and the holder still find it")
            }
        }
    }

    @Test("attack: on a closed record, a masked document or an unreadable item answers 403 'closed' where a random id answers 404",
          arguments: TestEngine.available)
    func closedRecordConcealsWhatWasHidden(_ engine: TestEngine) async throws {
        try await withCarnet(engine) { client, tokens in
            let world = try await world(client, tokens)
            let condition = try await SummaryRoutesTests.post(client, try await tokens.bearer(.doctor()), "Condition",
                                                              SummaryRoutesTests.condition(world.patientID))
            let item = try #require(condition.json["id"] as? String)
            let closed = try await client.execute(uri: "/fhir/Patient/\(world.patientID)/$close", method: .post, headers: world.holder + fhirJSON)
            #expect(closed.status == .ok, "\(closed.text)")
            let missing = UUID().uuidString.lowercased()
            let stranger = try await tokens.bearer(.doctor("99700000044"))
            for (headers, uri, template) in [(world.physician, "/fhir/DocumentReference/\(world.masked)", "/fhir/DocumentReference/%@"),
                                             (world.physician, "/fhir/Binary/\(world.masked)", "/fhir/Binary/%@"),
                                             (stranger, "/fhir/DocumentReference/\(world.plain[0])", "/fhir/DocumentReference/%@"),
                                             (stranger, "/fhir/Condition/\(item)", "/fhir/Condition/%@")] {
                let hidden = try await client.execute(uri: uri, method: .get, headers: headers)
                let random = try await client.execute(uri: template.replacingOccurrences(of: "%@", with: missing), method: .get, headers: headers)
                #expect(hidden.status == .notFound && hidden.diagnostics == random.diagnostics, "\(uri): \(hidden.status) \(hidden.text)")
            }
            // What the authorised physician could see is said to be in a closed record.
            let seeable = try await client.execute(uri: "/fhir/DocumentReference/\(world.plain[0])", method: .get, headers: world.physician)
            #expect(seeable.status == .forbidden && seeable.diagnostics.contains("closed"), "\(seeable.text)")
            let item403 = try await client.execute(uri: "/fhir/Condition/\(item)", method: .get, headers: world.physician)
            #expect(item403.status == .forbidden, "\(item403.text)")
        }
    }
}
