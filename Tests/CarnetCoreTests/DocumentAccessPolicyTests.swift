import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// The document rules of DOMAIN.md ("Who may do what"), enumerated: every actor × action × document
/// flag × record state × patient's choice, against an expectation written rule by rule from the text.
@Suite("Access policy: documents")
struct DocumentAccessPolicyTests {
    static let ins = INS.fixture(1)
    static let representative = INS.fixture(3)
    static let record = RecordID()
    static let now = testInstant
    static let matrix: HabilitationMatrix = {
        // safe: the bundled file is checked by its own test.
        try! HabilitationMatrix.bundled()
    }()

    enum Who: String, CaseIterable, CustomStringConvertible {
        case holder, representative, otherPatient, author, physician, dentist, physiotherapist, physicianBreakingGlass,
             physicianInCentre15Mode, regulator, regulatorInNormalMode, agent, insurer
        var description: String { rawValue }

        var actor: Actor {
            switch self {
            case .holder: .patient(DocumentAccessPolicyTests.ins)
            case .representative: .patient(DocumentAccessPolicyTests.representative)
            case .otherPatient: .patient(.fixture(2))
            case .author: .doctor("99700000011")
            case .physician: .doctor("99700000022")
            case .dentist: Actor(role: .professional(Professional(rpps: try! RPPS("99700000040"), profession: .dentist)))
            case .physiotherapist: Actor(role: .professional(Professional(rpps: try! RPPS("99700000070"), profession: .physiotherapist)))
            case .physicianBreakingGlass: .doctor("99700000033", mode: .breakTheGlass, reason: "unconscious on arrival")
            case .physicianInCentre15Mode: .doctor("99700000034", mode: .centre15, reason: "not a regulator")
            case .regulator: .regulator()
            case .regulatorInNormalMode: Actor(role: .regulator(Professional(rpps: try! RPPS("99700000015"), profession: .physician)))
            case .agent: .agent
            case .insurer: .insurer
            }
        }

        var rpps: String? { actor.professional?.rpps.value }
        var isPatientSide: Bool { [.holder, .representative, .otherPatient].contains(self) }
        var isProfessionalSide: Bool { !isPatientSide && self != .agent && self != .insurer }
    }

    /// The patient's choices, each a scenario of its own.
    enum Choice: String, CaseIterable, CustomStringConvertible {
        case none, authorised, careTeam, careTeamOpposed, treatingPhysician, blocked, emergencyOpposed, documentsHidden, feedingOpposed
        var description: String { rawValue }

        var controls: AccessControls {
            let since = DocumentAccessPolicyTests.now
            let readers = ["99700000022", "99700000040", "99700000070"]
            var controls = AccessControls(legalRepresentatives: [DocumentAccessPolicyTests.representative.value])
            switch self {
            case .none: break
            case .feedingOpposed: controls.feedingOpposed = true
            case .authorised, .documentsHidden:
                for rpps in readers { controls.authorisations[rpps] = Authorisation(basis: .patientGrant, since: since) }
                controls.documentsHiddenFromProfessionals = self == .documentsHidden
            case .careTeam, .careTeamOpposed:
                for rpps in readers { controls.authorisations[rpps] = Authorisation(basis: .careTeam, since: since) }
                if self == .careTeamOpposed { controls.careTeamOpposed = Set(readers) }
            case .treatingPhysician:
                controls.treatingPhysician = TreatingPhysician(rpps: "99700000022", since: since)
            case .blocked:
                for rpps in readers { controls.authorisations[rpps] = Authorisation(basis: .patientGrant, since: since) }
                for rpps in readers + ["99700000011", "99700000033", "99700000015"] { controls.blocked[rpps] = since }
            case .emergencyOpposed:
                controls.breakTheGlassAllowed = false
                controls.regulationAllowed = false
            }
            return controls
        }
    }

    enum Flag: String, CaseIterable, CustomStringConvertible {
        case plain, masked, invisibleToPatient, invisibleToPatientLapsed, invisibleToRepresentatives, advanceDirectives, deliveryReport,
             physiotherapyPrescription
        var description: String { rawValue }

        var document: DocumentEntry {
            var entry = DocumentEntry.fixture(in: DocumentAccessPolicyTests.record)
            entry.submitterID = "99700000011"
            entry.recordedAt = DocumentAccessPolicyTests.now.addingTimeInterval(-86_400)
            switch self {
            case .plain: break
            case .masked: entry.visibility.maskedToProfessionals = true
            case .invisibleToPatient: entry.visibility.invisibleToPatient = true
            case .invisibleToPatientLapsed:
                entry.visibility.invisibleToPatient = true
                entry.recordedAt = DocumentAccessPolicyTests.now.addingTimeInterval(-40 * 86_400)
            case .invisibleToRepresentatives: entry.visibility.invisibleToLegalRepresentatives = true
            case .advanceDirectives: entry.type = Code(system: "urn:oid:1.2.250.1.213.1.1.4.12", code: "EXPPAT_3")
            case .deliveryReport: entry.type = Code(system: "http://loinc.org", code: "15508-5")
            case .physiotherapyPrescription: entry.type = Code(system: "urn:oid:1.2.250.1.213.1.1.4.12", code: "PRESC-KINE")
            }
            return entry
        }
    }

    static func context(_ state: RecordState, _ choice: Choice) -> DocumentAccessContext {
        DocumentAccessContext(ins: ins, state: state, controls: choice.controls, matrix: matrix, now: now)
    }

    // MARK: - The expectation, rule by rule from DOMAIN.md

    /// Whether `who` may read the document, per DOMAIN.md.
    static func mayRead(_ who: Who, _ flag: Flag, _ state: RecordState, _ choice: Choice) -> Bool {
        if state == .deleted { return false }
        let hiddenFromPatient = flag == .invisibleToPatient
        switch who {
        case .holder: return !hiddenFromPatient
        case .representative: return !hiddenFromPatient && flag != .invisibleToRepresentatives
        case .otherPatient, .agent, .insurer: return false
        default: break
        }
        // Professionals: active record, not blocked, in any mode.
        guard state == .active else { return false }
        if choice == .blocked { return false }
        if who == .author { return true }
        // A basis: authorisation, care team not opposed, treating physician, or an emergency mode not opposed.
        let treating = choice == .treatingPhysician && who == .physician
        let basis: Bool = switch who {
        case .physician, .dentist, .physiotherapist:
            treating || choice == .authorised || choice == .documentsHidden || choice == .careTeam
        case .physicianBreakingGlass, .regulator: choice != .emergencyOpposed
        default: false  // Centre 15 mode is a regulator's; a regulator in normal mode has no basis
        }
        guard basis else { return false }
        if choice == .documentsHidden { return false }
        if flag == .masked && !treating { return false }
        // The habilitation matrix (interim): dentists not advance directives; physiotherapists a short list.
        if who == .dentist && flag == .advanceDirectives { return false }
        if who == .physiotherapist && (flag == .advanceDirectives || flag == .deliveryReport) { return false }
        return true
    }

    @Test("reading a document: every actor × flag × record state × patient's choice",
          arguments: Who.allCases, Flag.allCases)
    func reads(_ who: Who, _ flag: Flag) {
        for state in RecordState.allCases {
            for choice in Choice.allCases {
                let decision = AccessPolicy.decideDocument(.readDocument, by: who.actor, in: Self.context(state, choice), document: flag.document)
                #expect(decision.isAllowed == Self.mayRead(who, flag, state, choice),
                        Comment(rawValue: "\(who) \(flag) \(state) \(choice): \(decision.rule.rawValue)"))
            }
        }
    }

    @Test("refusals of a document on an active record look like absence, except for a blocked professional or an opposed emergency",
          arguments: Who.allCases, Flag.allCases)
    func refusalsConceal(_ who: Who, _ flag: Flag) {
        for choice in Choice.allCases {
            let decision = AccessPolicy.decideDocument(.readDocument, by: who.actor, in: Self.context(.active, choice), document: flag.document)
            let explained: Set<AccessRule> = [.professionalBlocked, .breakTheGlassOpposed, .regulationOpposed, .roleNotAllowed]
            #expect(decision.isAllowed || decision.rule.concealsExistence || explained.contains(decision.rule),
                    Comment(rawValue: "\(who) \(choice): \(decision.rule.rawValue)"))
        }
    }

    @Test("allowed reads name the basis the patient will see in their history")
    func basisRules() {
        let plain = Flag.plain.document
        let cases: [(Who, Choice, AccessRule)] = [
            (.holder, .none, .holderActsOnOwnRecord), (.representative, .none, .legalRepresentativeActsForMinor),
            (.author, .none, .authorReadsOwnDocument), (.physician, .authorised, .authorisedByPatient), (.physician, .careTeam, .careTeamMember),
            (.physician, .treatingPhysician, .treatingPhysician), (.physicianBreakingGlass, .none, .breakTheGlass),
            (.regulator, .none, .centre15Regulation),
        ]
        for (who, choice, rule) in cases {
            #expect(AccessPolicy.decideDocument(.readDocument, by: who.actor, in: Self.context(.active, choice), document: plain) == .allow(rule))
        }
        #expect(AccessPolicy.decideDocument(.readDocument, by: Who.physician.actor, in: Self.context(.active, .blocked), document: plain)
            == .deny(.professionalBlocked))
    }

    @Test("the search itself: professionals may list (each result decided apart) unless blocked or in an opposed emergency mode",
          arguments: Who.allCases, Choice.allCases)
    func searches(_ who: Who, _ choice: Choice) {
        for state in RecordState.allCases {
            let decision = AccessPolicy.decideDocument(.searchDocuments, by: who.actor, in: Self.context(state, choice), document: nil)
            let blocked = choice == .blocked && ["99700000011", "99700000022", "99700000040", "99700000070", "99700000033", "99700000015"]
                .contains(who.rpps ?? "")
            let expected: Bool = switch who {
            case .holder, .representative: state != .deleted
            case .otherPatient, .agent, .insurer: false
            case .physicianBreakingGlass, .regulator, .physicianInCentre15Mode: state == .active && !blocked && choice != .emergencyOpposed
            default: state == .active && !blocked
            }
            #expect(decision.isAllowed == expected, Comment(rawValue: "\(who) \(state) \(choice): \(decision.rule.rawValue)"))
        }
    }

    @Test("feeding: professionals in normal mode add to an active record without authorisation, unless blocked; the patient side adds too",
          arguments: Who.allCases, Choice.allCases)
    func creation(_ who: Who, _ choice: Choice) {
        for state in RecordState.allCases {
            let decision = AccessPolicy.decideDocument(.createDocument, by: who.actor, in: Self.context(state, choice), document: Flag.plain.document)
            let blocked = choice == .blocked && ["99700000011", "99700000022", "99700000040", "99700000070"].contains(who.rpps ?? "")
            let expected: Bool = switch who {
            case .holder, .representative: state != .deleted
            case .author, .physician, .dentist, .physiotherapist: state == .active && !blocked && choice != .feedingOpposed
            default: false
            }
            #expect(decision.isAllowed == expected, Comment(rawValue: "\(who) \(state) \(choice): \(decision.rule.rawValue)"))
        }
    }

    @Test("status changes and masking: the patient side and the author only; revealing to the patient: a professional who may read it",
          arguments: Who.allCases, Choice.allCases)
    func changes(_ who: Who, _ choice: Choice) {
        let context = Self.context(.active, choice)
        let document = Flag.invisibleToPatient.document
        for action in [Action.changeDocument, .maskDocument] {
            let decision = AccessPolicy.decideDocument(action, by: who.actor, in: context, document: Flag.plain.document)
            let expected = who == .holder || who == .representative || (who == .author && choice != .blocked)
            #expect(decision.isAllowed == expected, Comment(rawValue: "\(action) \(who) \(choice): \(decision.rule.rawValue)"))
        }
        let reveal = AccessPolicy.decideDocument(.revealDocumentToPatient, by: who.actor, in: context, document: document)
        let expected = who.isProfessionalSide && who != .physicianBreakingGlass && who != .regulator
            && Self.mayRead(who, .invisibleToPatient, .active, choice)
        #expect(reveal.isAllowed == expected, Comment(rawValue: "reveal \(who) \(choice): \(reveal.rule.rawValue)"))
    }

    @Test("'not visible to the patient' lifts itself one month after the document was recorded (CSP R1111-53)")
    func invisibilityLapses() {
        var document = Flag.invisibleToPatient.document
        document.recordedAt = Date(timeIntervalSince1970: 1_767_225_600)  // 2026-01-01T00:00:00Z
        #expect(AccessPolicy.hiddenFromPatient(document, at: Date(timeIntervalSince1970: 1_769_810_400)))  // 2026-01-30T22:00:00Z
        #expect(!AccessPolicy.hiddenFromPatient(document, at: Date(timeIntervalSince1970: 1_769_904_000)))  // 2026-02-01T00:00:00Z
    }

    @Test("replacing (TD2.1): only the document's submitter, who may read it and change it; the rest as for reading",
          arguments: Who.allCases, Flag.allCases)
    func replacing(_ who: Who, _ flag: Flag) {
        for state in [RecordState.active, .closed, .deleted] {
            for choice in Choice.allCases {
                for submittedBy in [Who.author, .holder] {
                    var document = flag.document
                    document.submitterID = submittedBy.actor.identifier
                    let context = Self.context(state, choice)
                    let decision = AccessPolicy.decideReplacement(by: who.actor, in: context, replaced: document)
                    let read = AccessPolicy.decideDocument(.readDocument, by: who.actor, in: context, document: document)
                    let ownAndChangeable = who == submittedBy
                        && AccessPolicy.decideDocument(.changeDocument, by: who.actor, in: context, document: document).isAllowed
                    #expect(decision.isAllowed == (read.isAllowed && ownAndChangeable), "\(who) \(flag) \(state) \(choice) by \(submittedBy)")
                    if !read.isAllowed { #expect(decision == read, "a document one may not read is refused as reading it is") }
                    if read.isAllowed && who != submittedBy { #expect(decision.rule == .onlyAuthorReplaces) }
                }
            }
        }
    }

    @Test("lifting a mask: the patient's mask is the patient side's to lift; the author lifts only their own", arguments: Who.allCases)
    func unmasking(_ who: Who) {
        for maskedByPatient in [true, false] {
            var document = Flag.masked.document
            document.visibility.maskSetByPatient = maskedByPatient ? true : nil
            let context = Self.context(.active, .none)
            let mask = AccessPolicy.decideDocument(.maskDocument, by: who.actor, in: context, document: document)
            let unmask = AccessPolicy.decideUnmask(by: who.actor, in: context, document: document)
            if maskedByPatient && mask.isAllowed && !who.isPatientSide {
                #expect(unmask == .deny(.maskSetByPatient), "\(who)")
            } else {
                #expect(unmask == mask, "\(who) masked by patient: \(maskedByPatient)")
            }
        }
        #expect(AccessPolicy.decideUnmask(by: Who.author.actor, in: Self.context(.active, .none), document: {
            var document = Flag.masked.document
            document.visibility.maskSetByPatient = true
            return document
        }()) == .deny(.maskSetByPatient))
    }

    @Test("record-level decisions never allow document actions", arguments: Who.allCases)
    func recordPolicyRefusesDocumentActions(_ who: Who) {
        for action in Action.allCases where action.isDocumentAction {
            #expect(!AccessPolicy.decide(action, by: who.actor, on: Self.ins, in: .active).isAllowed)
        }
    }

    @Test("the bundled habilitation matrix loads, names a source for every profession, and denies unlisted professions")
    func matrixFile() throws {
        let matrix = try HabilitationMatrix.bundled()
        #expect(Set(matrix.rows.keys) == ["10", "21", "40", "50", "60", "70", "80", "91", "92"])
        #expect(matrix.rows.values.allSatisfy { !$0.source.isEmpty } && matrix.source.contains("26 octobre 2023"))
        #expect(matrix.mayRead(.physician, type: "EXPPAT_3") && !matrix.mayRead(.dentist, type: "EXPPAT_3"))
        #expect(!matrix.mayRead(.podiatrist, type: "15508-5") && matrix.mayRead(.podiatrist, type: "11488-4"))
        let unlisted = try Profession(code: "31")
        #expect(!matrix.mayRead(unlisted, type: "11488-4") && !matrix.mayWrite(unlisted, type: "11488-4"))
        #expect(throws: HabilitationMatrixError.self) { try HabilitationMatrix(json: Data(#"{"source": "x", "professions": {"1x": {}}}"#.utf8)) }
        #expect(throws: HabilitationMatrixError.self) {
            try HabilitationMatrix(json: Data(#"{"source": "x", "professions": {"10": {"label": "M", "read": "most", "write": "all", "source": "s"}}}"#.utf8))
        }
    }
}
