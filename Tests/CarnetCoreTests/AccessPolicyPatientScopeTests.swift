import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// A credential issued for one patient (the DMP's VIHF names the patient in `resource-id`) opens that
/// patient's record only: the one policy refuses it anywhere else, with its own rule, and otherwise
/// decides exactly as for the same actor without a scope.
@Suite("Access policy: a credential scoped to one patient")
struct AccessPolicyPatientScopeTests {
    static let holder = INS.fixture(1)
    static let other = INS.fixture(2)
    static let actors: [Actor] = [.doctor(), .doctor(mode: .breakTheGlass, reason: "inconscient"), .pharmacist(), .regulator()]

    static func scoped(_ actor: Actor, to ins: INS) -> Actor {
        var actor = actor
        actor.patientScope = ins
        return actor
    }

    @Test("every record action on another patient's record is refused credential-for-another-patient, concealing the record",
          arguments: Action.allCases.filter { !$0.isDocumentAction })
    func recordActionsElsewhere(_ action: Action) {
        for actor in Self.actors {
            for state in [nil] + RecordState.allCases.map(Optional.some) where state != nil || action == .createRecord {
                let decision = AccessPolicy.decide(action, by: Self.scoped(actor, to: Self.other), on: Self.holder, in: state)
                #expect(decision == .deny(.credentialForAnotherPatient), "\(action) in \(String(describing: state))")
            }
        }
        #expect(AccessRule.credentialForAnotherPatient.concealsExistence)
    }

    @Test("every document action on another patient's record is refused, even in an emergency and for the document's author",
          arguments: Action.allCases.filter(\.isDocumentAction))
    func documentActionsElsewhere(_ action: Action) {
        var document = DocumentEntry.fixture(in: DocumentAccessPolicyTests.record)
        document.submitterID = "99700000011"
        for actor in Self.actors {
            for state in RecordState.allCases {
                let context = DocumentAccessContext(ins: Self.holder, state: state, controls: AccessControls(),
                                                    matrix: DocumentAccessPolicyTests.matrix, now: DocumentAccessPolicyTests.now)
                for facts in [nil, document] as [DocumentEntry?] {
                    let decision = AccessPolicy.decideDocument(action, by: Self.scoped(actor, to: Self.other), in: context, document: facts)
                    #expect(decision == .deny(.credentialForAnotherPatient))
                }
            }
        }
    }

    @Test("on its own patient's record the scope changes no decision")
    func ownPatientUnchanged() {
        var document = DocumentEntry.fixture(in: DocumentAccessPolicyTests.record)
        document.submitterID = "99700000011"
        var controls = AccessControls()
        controls.authorisations["99700000021"] = Authorisation(basis: .patientGrant, since: DocumentAccessPolicyTests.now)
        for actor in Self.actors {
            let scoped = Self.scoped(actor, to: Self.holder)
            for action in Action.allCases {
                for state in RecordState.allCases {
                    #expect(AccessPolicy.decide(action, by: scoped, on: Self.holder, in: state, controls: controls)
                            == AccessPolicy.decide(action, by: actor, on: Self.holder, in: state, controls: controls))
                    let context = DocumentAccessContext(ins: Self.holder, state: state, controls: controls,
                                                        matrix: DocumentAccessPolicyTests.matrix, now: DocumentAccessPolicyTests.now)
                    #expect(AccessPolicy.decideDocument(action, by: scoped, in: context, document: document)
                            == AccessPolicy.decideDocument(action, by: actor, in: context, document: document))
                }
            }
        }
    }
}
