import CarnetCore
import CarnetTestSupport
import Foundation
import Testing

/// The record lifecycle as a pure state machine (DOMAIN.md, The record).
@Suite("Record lifecycle")
struct RecordLifecycleTests {
    /// The whole transition table: every state × transition, and what it gives.
    static let table: [(RecordState, RecordTransition, RecordState?)] = [
        (.active, .close, .closed), (.active, .reopen, nil), (.active, .delete, nil), (.active, .restore, nil),
        (.closed, .close, nil), (.closed, .reopen, .active), (.closed, .delete, .deleted), (.closed, .restore, nil),
        (.deleted, .close, nil), (.deleted, .reopen, nil), (.deleted, .delete, nil), (.deleted, .restore, .closed),
    ]

    @Test("every state × transition gives the documented state or an error", arguments: table)
    func transitions(_ state: RecordState, _ transition: RecordTransition, _ expected: RecordState?) throws {
        if let expected {
            #expect(try state.applying(transition) == expected)
        } else {
            #expect(throws: RecordError.illegalTransition(from: state, transition: transition)) { try state.applying(transition) }
        }
    }

    @Test("the table covers every state and transition")
    func tableIsComplete() {
        #expect(Self.table.count == RecordState.allCases.count * RecordTransition.allCases.count)
    }

    @Test("illegal transitions explain what to do")
    func messages() {
        #expect(RecordError.illegalTransition(from: .active, transition: .delete).description.contains("close it first"))
        #expect(RecordError.illegalTransition(from: .closed, transition: .close).description == "the record is already closed")
        #expect(RecordError.illegalTransition(from: .active, transition: .reopen).description == "the record is already active")
    }

    @Test("a transition bumps the version, stamps the date and keeps the reason until reopening")
    func recordTransitions() throws {
        let created = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
        #expect(created.state == .active && created.version == 1)
        let later = testInstant.addingTimeInterval(60)
        let closed = try created.applying(.close, at: later, reason: "moving abroad")
        #expect(closed.state == .closed && closed.version == 2)
        #expect(closed.stateChangedAt == later && closed.stateReason == "moving abroad")
        #expect(closed.createdAt == testInstant && closed.id == created.id)
        let reopened = try closed.applying(.reopen, at: later.addingTimeInterval(60))
        #expect(reopened.state == .active && reopened.version == 3 && reopened.stateReason == nil)
    }

    @Test("a refused transition leaves the record unchanged")
    func refusedTransition() {
        var record = HealthRecord(ins: .fixture(), identity: .fixture(), createdAt: testInstant)
        let before = record
        #expect(throws: RecordError.self) { try record.apply(.reopen, at: testInstant) }
        #expect(record == before)
    }
}
