import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// The access matrix for records, enumerated whole (ARCHITECTURE.md invariant 2: decisions are pure,
/// their tests enumerate the matrix; DOMAIN.md, Who may do what).
@Suite("Access policy: records")
struct AccessPolicyTests {
    static let holderINS = INS.fixture(1)
    static let representativeINS = INS.fixture(3)
    /// The record's controls in these tests: one legal representative, nothing else.
    static let controls = AccessControls(legalRepresentatives: [representativeINS.value])

    /// Every kind of actor the policy distinguishes.
    enum Who: String, CaseIterable, CustomStringConvertible {
        case holder, representative, otherPatient, doctor, doctorBreakingGlass, pharmacist, regulator, agent, insurer
        var description: String { rawValue }

        var actor: Actor {
            switch self {
            case .holder: .patient(AccessPolicyTests.holderINS)
            case .representative: .patient(AccessPolicyTests.representativeINS)
            case .otherPatient: .patient(.fixture(2))
            case .doctor: .doctor()
            case .doctorBreakingGlass: .doctor(mode: .breakTheGlass, reason: "unconscious")
            case .pharmacist: .pharmacist()
            case .regulator: .regulator()
            case .agent: .agent
            case .insurer: .insurer
            }
        }
    }

    /// The cells that are allowed; every other cell of the matrix must be denied. `nil` = no record yet.
    static let allowed: Set<String> = {
        var cells: Set<String> = []
        func allow(_ who: Who, _ action: Action, _ states: [RecordState?]) {
            for state in states { cells.insert(cell(who, action, state)) }
        }
        let live: [RecordState?] = [.active, .closed]
        allow(.holder, .createRecord, [nil, .active, .closed])
        for action in [Action.readIdentity, .closeRecord, .reopenRecord, .deleteRecord, .manageAccess, .readAccessControls, .readAuditTrail,
                       .changeContact] {
            allow(.holder, action, live)
        }
        // A legal representative acts for the minor, except deleting the record; they manage representatives too.
        for action in [Action.readIdentity, .closeRecord, .reopenRecord, .manageAccess, .readAccessControls, .readAuditTrail,
                       .manageLegalRepresentatives] {
            allow(.representative, action, live)
        }
        allow(.agent, .createRecord, [nil, .active, .closed])
        // The contact sign-in codes go to: the holder, or an agent after checking identity; never a professional (issue 23.3).
        for action in [Action.readIdentity, .closeRecord, .reopenRecord, .deleteRecord, .restoreRecord, .manageLegalRepresentatives,
                       .changeContact] {
            allow(.agent, action, live)
        }
        allow(.agent, .readIdentity, [.deleted])
        allow(.agent, .restoreRecord, [.deleted])
        for who in [Who.doctor, .pharmacist] {
            allow(who, .createRecord, [nil, .active])
            allow(who, .declareConsent, [.active])
        }
        for who in [Who.doctor, .doctorBreakingGlass, .pharmacist, .regulator, .insurer] { allow(who, .readIdentity, [.active]) }
        return cells
    }()

    static func cell(_ who: Who, _ action: Action, _ state: RecordState?) -> String {
        "\(who) \(action.rawValue) \(state?.rawValue ?? "none")"
    }

    static let states: [RecordState?] = [nil] + RecordState.allCases.map { $0 }

    @Test("each actor × action × state is allowed exactly when the matrix says so",
          arguments: Who.allCases, Action.allCases)
    func matrix(_ who: Who, _ action: Action) {
        for state in Self.states where state != nil || action == .createRecord {
            let decision = AccessPolicy.decide(action, by: who.actor, on: Self.holderINS, in: state, controls: Self.controls)
            let expected = Self.allowed.contains(Self.cell(who, action, state))
            #expect(decision.isAllowed == expected, Comment(rawValue: "\(Self.cell(who, action, state)) decided \(decision.rule.rawValue)"))
        }
    }

    @Test("a patient probing another record is told nothing exists")
    func otherPatientConcealed() {
        let decision = AccessPolicy.decide(.readIdentity, by: Who.otherPatient.actor, on: Self.holderINS, in: .active)
        #expect(decision == Decision.deny(.notTheHolder))
        #expect(decision.rule.concealsExistence)
    }

    @Test("a deleted record is invisible to all but agents", arguments: Who.allCases)
    func deletedConcealed(_ who: Who) {
        let decision = AccessPolicy.decide(.readIdentity, by: who.actor, on: Self.holderINS, in: .deleted)
        if who == .agent {
            #expect(decision.isAllowed)
        } else {
            #expect(decision == Decision.deny(.recordDeleted) && decision.rule.concealsExistence)
        }
    }

    @Test("professionals are told a record is closed (TD0.2 reports closure)",
          arguments: [Who.doctor, .doctorBreakingGlass, .pharmacist, .regulator])
    func closedRecordForProfessionals(_ who: Who) {
        let decision = AccessPolicy.decide(.readIdentity, by: who.actor, on: Self.holderINS, in: .closed)
        #expect(decision == Decision.deny(.recordClosed))
        #expect(!decision.rule.concealsExistence)
    }

    @Test("an emergency access cannot create a record")
    func emergencyCannotCreate() {
        #expect(AccessPolicy.decide(.createRecord, by: Who.doctorBreakingGlass.actor, on: Self.holderINS, in: nil)
                == Decision.deny(.emergencyModeCannotCreate))
    }

    @Test("every allowing decision names an allowing rule and every refusal a denying one")
    func rulesMatchOutcome() {
        let allowing: Set<AccessRule> = [.holderActsOnOwnRecord, .agentAdministersRecord, .professionalCreatesWithConsent,
                                         .professionalChecksActiveRecord, .insurerFindsActiveRecord, .legalRepresentativeActsForMinor,
                                         .professionalDeclaresConsent]
        for who in Who.allCases {
            for action in Action.allCases {
                for state in Self.states {
                    let decision = AccessPolicy.decide(action, by: who.actor, on: Self.holderINS, in: state, controls: Self.controls)
                    #expect(allowing.contains(decision.rule) == decision.isAllowed)
                }
            }
        }
    }

    @Test("a blocked professional may neither create (return) the record nor declare consent; without the link a representative is a stranger")
    func blockedAndUnlinked() {
        var controls = Self.controls
        controls.blocked["99700000011"] = testInstant
        #expect(AccessPolicy.decide(.createRecord, by: .doctor(), on: Self.holderINS, in: .active, controls: controls) == .deny(.professionalBlocked))
        #expect(AccessPolicy.decide(.declareConsent, by: .doctor(), on: Self.holderINS, in: .active, controls: controls) == .deny(.professionalBlocked))
        #expect(AccessPolicy.decide(.readIdentity, by: .doctor(), on: Self.holderINS, in: .active, controls: controls) == .deny(.professionalBlocked))
        #expect(AccessPolicy.decide(.readIdentity, by: Who.representative.actor, on: Self.holderINS, in: .active) == .deny(.notTheHolder))
    }

    @Test("only the patient's side and agents read a closure's reason; professionals learn the closure, never the patient's words (issue 23.9)",
          arguments: Who.allCases)
    func closureReason(_ who: Who) {
        let expected = [Who.holder, .representative, .otherPatient, .agent].contains(who)
        #expect(AccessPolicy.readsStateReason(who.actor) == expected)
    }

    @Test("a revoked professional cannot undo the revocation by declaring consent (issue 23.4); others and the patient are unaffected",
          arguments: Who.allCases, Action.allCases)
    func revocationHolds(_ who: Who, _ action: Action) {
        var revoked = Self.controls
        revoked.revoked = ["99700000011": testInstant]
        for state in Self.states where state != nil || action == .createRecord {
            let decision = AccessPolicy.decide(action, by: who.actor, on: Self.holderINS, in: state, controls: revoked)
            let cell = Self.cell(who, action, state)
            if who == .doctor, action == .declareConsent, state == .active {
                #expect(decision == .deny(.authorisationRevoked), Comment(rawValue: cell))
                #expect(!decision.rule.concealsExistence, "the professional is told why, and what would lift it")
            } else {
                // Everything else decides exactly as without the revocation (the pharmacist was not revoked).
                #expect(decision == AccessPolicy.decide(action, by: who.actor, on: Self.holderINS, in: state, controls: Self.controls),
                        Comment(rawValue: cell))
            }
        }
    }
}

@Suite("Minors and their representatives")
struct MinorTests {
    static func identity(_ birth: String) -> PatientIdentity {
        PatientIdentity(birthFamilyName: "TEST", givenNames: ["Lou"], birthDate: try! PartialDate(birth), sex: .female)
    }

    @Test("a minor until the birthday of majority, a partial date counting from its first day", arguments: [
        ("2008-11-23", 18, false), ("2008-11-24", 18, true), ("2008-12", 18, true), ("2008", 18, false), ("2010-01-01", 16, false),
    ])
    func minority(_ birth: String, _ majority: Int, _ minor: Bool) {
        let now = Date(timeIntervalSince1970: 1_795_392_000)  // 2026-11-23T00:00:00Z (01:00 in Paris)
        #expect(Self.identity(birth).isMinor(at: now, ageOfMajority: majority) == minor)
    }

    @Test("representatives count only for a minor holder, and only with minor management on")
    func effectiveControls() {
        let controls = AccessControls(legalRepresentatives: [INS.fixture(3).value])
        let now = Date(timeIntervalSince1970: 1_795_392_000)
        #expect(controls.effective(for: Self.identity("2015-01-01"), at: now, ageOfMajority: 18).legalRepresentatives.count == 1)
        #expect(controls.effective(for: Self.identity("1990-01-01"), at: now, ageOfMajority: 18).legalRepresentatives.isEmpty)
        #expect(controls.effective(for: Self.identity("2015-01-01"), at: now, ageOfMajority: nil).legalRepresentatives.isEmpty)
    }
}
