import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// The care history's rule, enumerated: every actor × record state × patient's choice, against an
/// expectation written from DOMAIN.md and the summary issue (the history is the DMP's `REMB`
/// document, submitted by the insurer: no professional is its author, the insurer never reads it).
@Suite("Access policy: care history")
struct CareHistoryAccessPolicyTests {
    typealias Who = DocumentAccessPolicyTests.Who
    typealias Choice = DocumentAccessPolicyTests.Choice

    static func mayRead(_ who: Who, _ state: RecordState, _ choice: Choice) -> Bool {
        if state == .deleted { return false }
        switch who {
        case .holder, .representative: return true
        case .otherPatient, .agent, .insurer: return false
        default: break
        }
        guard state == .active, choice != .blocked, choice != .documentsHidden else { return false }
        let basis: Bool = switch who {
        // The author of the test documents has no basis here: the history is not theirs.
        case .author: false
        case .physician: choice == .treatingPhysician || choice == .authorised || choice == .careTeam
        case .dentist, .physiotherapist: choice == .authorised || choice == .careTeam
        case .physicianBreakingGlass, .regulator: choice != .emergencyOpposed
        default: false
        }
        // The interim matrix: physiotherapists read a short list without the care history.
        return basis && who != .physiotherapist
    }

    @Test("reading the care history: every actor × record state × patient's choice", arguments: Who.allCases)
    func reads(_ who: Who) {
        for state in RecordState.allCases {
            for choice in Choice.allCases {
                let decision = AccessPolicy.decideCareHistory(of: RecordID(), by: who.actor, in: DocumentAccessPolicyTests.context(state, choice))
                #expect(decision.isAllowed == Self.mayRead(who, state, choice), "\(who) \(state) \(choice): \(decision.rule.rawValue)")
            }
        }
    }

    @Test("the refusals and bases the patient sees: insurer, regulator, break-the-glass, blocked")
    func rules() {
        let record = RecordID()
        func decide(_ who: Who, _ choice: Choice) -> Decision {
            AccessPolicy.decideCareHistory(of: record, by: who.actor, in: DocumentAccessPolicyTests.context(.active, choice))
        }
        #expect(!decide(.insurer, .none).isAllowed, "the insurer feeds the history but never reads it back")
        #expect(!decide(.agent, .authorised).isAllowed)
        #expect(decide(.regulator, .none) == .allow(.centre15Regulation))
        #expect(decide(.physicianBreakingGlass, .none) == .allow(.breakTheGlass))
        #expect(decide(.physicianBreakingGlass, .emergencyOpposed).rule == .breakTheGlassOpposed)
        #expect(decide(.regulator, .emergencyOpposed).rule == .regulationOpposed)
        #expect(decide(.physician, .blocked).rule == .professionalBlocked)
        #expect(decide(.physician, .authorised) == .allow(.authorisedByPatient))
        #expect(!decide(.physician, .none).isAllowed && decide(.physician, .none).rule.concealsExistence)
    }
}

/// The feed's bulk actions (import, purge) concern no record: the insurer's feed alone, every other
/// actor and action refused.
@Suite("Access policy: the insurer's feed")
struct FeedAccessPolicyTests {
    @Test("importing and purging the care history: the feed only", arguments: DocumentAccessPolicyTests.Who.allCases)
    func feedOnly(_ who: DocumentAccessPolicyTests.Who) {
        for action in Action.allCases {
            let decision = AccessPolicy.decideFeed(action, by: who.actor)
            let expected = who == .insurer && [.importCareHistory, .purgeCareHistory, .importDirectory].contains(action)
            #expect(decision.isAllowed == expected, "\(who) \(action)")
            #expect(decision.rule == (expected ? (action == .importDirectory ? .operatorLoadsDirectory : .insurerFeedsCareHistory) : .roleNotAllowed))
        }
    }
}
