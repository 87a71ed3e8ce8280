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
                accessMode: .breakTheGlass, emergencyReason: "patient inconscient aux urgences")),
            DemoProfessional(label: "Centre 15 regulator", actor: Actor(
                role: .regulator(Professional(rpps: RPPS("99700000015"), profession: .physician, displayName: "Dr Emma Faure")),
                accessMode: .centre15, emergencyReason: "appel au SAMU-Centre 15 pour malaise")),
        ]
    }

    /// Creates the demo records through the one door (idempotent: existing records are returned), and
    /// gives the first one something to look at: five documents by the demo physician (text, PDF, image, CDA; the PDF
    /// sent twice, shown once), the patient's
    /// authorisation of the demo pharmacist, a structured summary, a few months of care history; the minor gets the second
    /// patient as legal representative.
    public static func seed(_ service: RecordService) async throws -> [HealthRecord] {
        var records: [HealthRecord] = []
        try await DemoDirectory.load(service)
        for patient in try patients() {
            records.append(try await service.createRecord(ins: patient.ins, identity: patient.identity, by: seedingAgent).record)
        }
        let professionals = try professionals()
        let physician = professionals[0].actor
        let pharmacist = professionals[1].actor
        let first = records[0]
        let text = "text/plain; charset=utf-8"
        for (index, (type, title, content, contentType)) in [
            ("11488-4", "Compte rendu de consultation (synthétique)",
             Data("Consultation de suivi. Document synthétique de démonstration, aucune donnée réelle.".utf8), text),
            ("11502-2", "Compte rendu d'examens biologiques (synthétique)", Data("Glycémie à jeun : 5,1 mmol/L. Document synthétique de démonstration.".utf8), text),
            ("34112-3", "Compte rendu d'hospitalisation (synthétique, PDF)",
             DemoFiles.pdf(lines: ["Compte rendu d'hospitalisation", "Document synthétique de démonstration : aucune donnée réelle.",
                                   "Séjour de deux jours pour surveillance, sortie sans traitement nouveau."]), "application/pdf"),
            ("18748-4", "Radiographie (synthétique, image)", DemoFiles.png(), "image/png"),
            ("11490-0", "Lettre de liaison à la sortie (synthétique, CDA)",
             DemoFiles.cda(title: "Lettre de liaison à la sortie (synthétique)", sections: [
                ("Motif d'hospitalisation", ["Document CDA synthétique de démonstration : aucune donnée réelle."]),
                ("Traitement de sortie", ["Poursuite du traitement habituel.", "Consultation de contrôle dans un mois."]),
             ], table: ("Résultats à la sortie", [["Examen", "Résultat"], ["Tension artérielle", "12/8"], ["Glycémie à jeun", "5,1 mmol/L"]])),
             "text/xml"),
            // The hospital stay report sent again under another unique id (a producer's second submission):
            // stored, and shown once, folded with the first (issue 18).
            ("34112-3", "Compte rendu d'hospitalisation (synthétique, PDF)",
             DemoFiles.pdf(lines: ["Compte rendu d'hospitalisation", "Document synthétique de démonstration : aucune donnée réelle.",
                                   "Séjour de deux jours pour surveillance, sortie sans traitement nouveau."]), "application/pdf"),
        ].enumerated() {
            let draft = DocumentDraft(uniqueID: "urn:oid:1.2.250.1.999.1.\(index + 1)", type: Code(system: "http://loinc.org", code: type), title: title,
                                      authors: [DocumentAuthor(identifierSystem: "urn:oid:1.2.250.1.71.4.2.1", identifierValue: "899700000011",
                                                               display: "Dr Alice Lemoine")],
                                      contentType: contentType, language: "fr-FR")
            do {
                _ = try await service.publishDocument(draft, content: content, for: .record(first.id), by: physician)
            } catch DocumentInputError.duplicateUniqueID {
                continue  // seeded by an earlier start
            }
        }
        try await DemoSummary.seed(first, physician: physician, in: service)
        let holder = Actor.patient(first.ins)
        let (_, controls) = try await service.accessControls(of: first.id, by: holder)
        if let rpps = pharmacist.professional?.rpps, controls.authorisations[rpps.value] == nil {
            _ = try await service.changeAccess(of: first.id, .authorize(rpps), by: holder)
        }
        let claims = try (0..<6).map { month in
            Claim(id: "DEMO-\(first.ins.value)-\(month)", ins: first.ins, serviceDate: try day(monthsAgo: month + 1),
                  code: Code(system: "https://www.ameli.fr/ngap", code: "G"), label: "Consultation de médecine générale (synthétique)",
                  prescriberRPPS: nil, performer: "Dr Alice Lemoine", chargedCents: 3_000, reimbursedCents: 2_100)
        }
        _ = try await service.importClaims(claims, source: "demo", by: Actor(role: .insurer(id: "demo-feed")))
        let minor = records[2]
        let (_, minorControls) = try await service.accessControls(of: minor.id, by: .patient(minor.ins))
        if !minorControls.legalRepresentatives.contains(records[1].ins.value) {
            _ = try await service.changeLegalRepresentative(of: minor.id, records[1].ins, add: true, by: seedingAgent)
        }
        return records
    }

    /// The same day `months` months ago, as a care date.
    private static func day(monthsAgo months: Int) throws -> PartialDate {
        let calendar = Calendar(identifier: .gregorian)
        let date = calendar.date(byAdding: .month, value: -months, to: Date()) ?? Date()
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return try PartialDate(String(format: "%04d-%02d-%02d", parts.year ?? 2026, parts.month ?? 1, parts.day ?? 1))
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
