public import CarnetCore
public import CarnetService
import CarnetStore
import Foundation

/// Synthetic people for `carnet serve --demo`: a few patients with demo INS (OID `.11`, valid keys,
/// numbers made up for Carnet) and a few professionals with made-up RPPS numbers.
///
/// - Important: nothing here is real patient data; names and numbers are invented.
public enum DemoData {
    public struct DemoPatient: Sendable {
        public let ins: INS
        public let identity: PatientIdentity
    }

    public struct DemoProfessional: Sendable {
        public let label: String
        public let actor: Actor
    }

    /// The seeding actor: an insurer agent, as when a CPAM agent opens records at people's request.
    public static let seedingAgent = Actor(role: .agent(id: "demo-seed-agent"))

    public static func patients() throws -> [DemoPatient] {
        try [
            patient("2850775056123", "DURAND", ["Camille", "Louise"], "1985-07-12", .female, "75056"),
            patient("1620369123045", "MARTIN", ["Lucas"], "1962-03-04", .male, "69123"),
            patient("210112A004017", "BERNARD", ["Inès"], "2010-11-30", .female, "2A004"),
        ]
    }

    public static func professionals() throws -> [DemoProfessional] {
        try [
            DemoProfessional(label: "physician (médecin, G15 10)", actor: Actor(role: .professional(
                Professional(rpps: RPPS("99700000011"), profession: .physician, specialty: "SM26", displayName: "Dr Alice Lemoine")))),
            DemoProfessional(label: "pharmacist (pharmacien, G15 21)", actor: Actor(role: .professional(
                Professional(rpps: RPPS("99700000021"), profession: .pharmacist, displayName: "Bruno Caron")))),
            DemoProfessional(label: "nurse (infirmier, G15 60)", actor: Actor(role: .professional(
                Professional(rpps: RPPS("99700000061"), profession: .nurse, displayName: "Chloé Petit")))),
            DemoProfessional(label: "emergency physician, break-the-glass", actor: Actor(
                role: .professional(Professional(rpps: RPPS("99700000012"), profession: .physician, displayName: "Dr Denis Roy")),
                accessMode: .breakTheGlass, emergencyReason: "unconscious patient in the emergency department")),
            DemoProfessional(label: "Centre 15 regulator", actor: Actor(
                role: .regulator(Professional(rpps: RPPS("99700000015"), profession: .physician, displayName: "Dr Emma Faure")),
                accessMode: .centre15, emergencyReason: "SAMU call")),
        ]
    }

    /// Creates the demo records through the one door (idempotent: existing records are returned).
    public static func seed(_ service: RecordService) async throws -> [HealthRecord] {
        var records: [HealthRecord] = []
        for patient in try patients() {
            records.append(try await service.createRecord(ins: patient.ins, identity: patient.identity, by: seedingAgent).record)
        }
        return records
    }

    private static func patient(_ number: String, _ family: String, _ given: [String], _ birthDate: String,
                                _ sex: AdministrativeSex, _ birthplace: String) throws -> DemoPatient {
        let key = INS.expectedKey(for: number)
        let ins = try INS(number + (key < 10 ? "0\(key)" : "\(key)"), system: .demo)
        return DemoPatient(ins: ins, identity: PatientIdentity(birthFamilyName: family, givenNames: given,
                                                              birthDate: try PartialDate(birthDate), sex: sex,
                                                              birthplaceCode: birthplace))
    }
}
