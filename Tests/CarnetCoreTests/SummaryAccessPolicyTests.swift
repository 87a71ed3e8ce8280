import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// The structured summary's rules, enumerated: every actor × operation × kind of item × who recorded
/// it × patient's choice × record state, against an expectation written from DOMAIN.md and the
/// summary issue (the patient's own section, professionals' clinical items, the matrix by section).
@Suite("Access policy: structured summary")
struct SummaryAccessPolicyTests {
    typealias Who = DocumentAccessPolicyTests.Who
    typealias Choice = DocumentAccessPolicyTests.Choice

    /// Who recorded the item (its first and current version).
    enum Recorder: String, CaseIterable, CustomStringConvertible {
        case holder, author
        var description: String { rawValue }
    }

    static func item(_ kind: SummaryKind, recordedBy recorder: Recorder) -> SummaryEntry {
        SummaryEntry(recordID: RecordID(), kind: kind, status: "active", code: nil, date: nil,
                     authorID: recorder == .holder ? DocumentAccessPolicyTests.ins.value : "99700000011", recordedByPatient: recorder == .holder,
                     recordedAt: DocumentAccessPolicyTests.now.addingTimeInterval(-3_600), resource: Data("{}".utf8))
    }

    // MARK: - The expectation

    /// Whether the matrix lets the professional read the item's section (interim matrix).
    static func sectionReadable(_ who: Who, _ kind: SummaryKind) -> Bool {
        let patientWishes: Set<SummaryKind> = [.relatedPerson, .organDonation, .advanceDirective]
        switch who {
        case .dentist, .physiotherapist: return !patientWishes.contains(kind)
        default: return true
        }
    }

    static func mayRead(_ who: Who, _ kind: SummaryKind, _ recorder: Recorder, _ state: RecordState, _ choice: Choice) -> Bool {
        if state == .deleted { return false }
        switch who {
        case .holder, .representative: return true
        case .otherPatient, .agent, .insurer: return false
        default: break
        }
        guard state == .active, choice != .blocked else { return false }
        if who == .author && recorder == .author { return true }
        let treating = choice == .treatingPhysician && who == .physician
        let basis: Bool = switch who {
        case .physician, .dentist, .physiotherapist: treating || choice == .authorised || choice == .documentsHidden || choice == .careTeam
        case .physicianBreakingGlass, .regulator: choice != .emergencyOpposed
        default: false
        }
        return basis && choice != .documentsHidden && sectionReadable(who, kind)
    }

    static func mayWrite(_ operation: SummaryOperation, _ who: Who, _ kind: SummaryKind, _ recorder: Recorder, _ state: RecordState,
                         _ choice: Choice) -> Bool {
        if state == .deleted { return false }
        switch who {
        case .holder, .representative:
            // The patient side writes any item it recorded, and creates any.
            return operation == .create || recorder == .holder
        case .author, .physician, .dentist, .physiotherapist:
            // Professionals in normal mode feed clinical items; never the patient's own section.
            guard !kind.isPatientSection, state == .active, choice != .blocked, choice != .feedingOpposed else { return false }
            switch operation {
            case .create: return true
            case .update: return mayRead(who, kind, recorder, state, choice)
            case .delete: return who == .author && recorder == .author
            case .read: return false
            }
        default:
            return false
        }
    }

    @Test("every actor × operation × kind × recorder × choice × state", arguments: SummaryOperation.allCases, SummaryKind.allCases)
    func exhaustive(_ operation: SummaryOperation, _ kind: SummaryKind) {
        for who in Who.allCases {
            for recorder in Recorder.allCases {
                for choice in Choice.allCases {
                    for state in [RecordState.active, .closed, .deleted] {
                        let context = DocumentAccessPolicyTests.context(state, choice)
                        let item = Self.item(kind, recordedBy: recorder)
                        let decision = AccessPolicy.decideSummary(operation, kind: kind, by: who.actor, in: context,
                                                                  current: operation == .create ? nil : item, first: operation == .create ? nil : item)
                        let expected = operation == .read ? Self.mayRead(who, kind, recorder, state, choice)
                                                          : Self.mayWrite(operation, who, kind, recorder, state, choice)
                        #expect(decision.isAllowed == expected, "\(operation) \(kind) recorded by \(recorder) as \(who), \(choice), \(state): \(decision.rule)")
                    }
                }
            }
        }
    }

    @Test("refusals name the summary's own rules")
    func rules() {
        let context = DocumentAccessPolicyTests.context(.active, .authorised)
        let contact = Self.item(.relatedPerson, recordedBy: .holder)
        #expect(AccessPolicy.decideSummary(.create, kind: .relatedPerson, by: Who.physician.actor, in: context, current: nil, first: nil).rule
                == .patientSectionOnly)
        let condition = Self.item(.condition, recordedBy: .author)
        #expect(AccessPolicy.decideSummary(.update, kind: .condition, by: Who.holder.actor, in: context, current: condition, first: condition).rule
                == .itemRecordedByProfessional)
        #expect(AccessPolicy.decideSummary(.delete, kind: .condition, by: Who.physician.actor, in: context, current: condition, first: condition).rule
                == .notTheItemAuthor)
        #expect(AccessPolicy.decideSummary(.read, kind: .relatedPerson, by: Who.dentist.actor, in: context, current: contact, first: contact).rule
                == .professionNotHabilitated)
    }
}
