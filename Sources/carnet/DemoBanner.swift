import CarnetCore
import CarnetServer

/// What `carnet serve --demo` prints: who exists, their tokens, and requests to try.
enum DemoBanner {
    static func print(records: [HealthRecord], tokens: TokenAuthority, baseURL: String) async throws {
        let lifetime: Double = 7 * 24 * 3600
        Swift.print("""

        ── Carnet demo ─────────────────────────────────────────────────────────────
        Synthetic data only: these people and numbers are invented (demo INS, OID 1.2.250.1.213.1.4.11).
        Tokens below are valid for 7 days; mint more with `carnet token --data DIR …`.

        Patients:
        """)
        for record in records {
            let token = try await tokens.mint(for: .patient(record.ins), lifetime: lifetime)
            let name = "\(record.identity.givenNames.first ?? "") \(record.identity.birthFamilyName)"
            Swift.print("""
              \(name), born \(record.identity.birthDate) — INS \(record.ins.value)
                Patient:  \(baseURL)/fhir/Patient/\(record.id)
                token:    \(token)
            """)
        }
        Swift.print("\nProfessionals:")
        for professional in try DemoData.professionals() {
            let token = try await tokens.mint(for: professional.actor, lifetime: lifetime)
            Swift.print("""
              \(professional.label) — RPPS \(professional.actor.identifier)
                token:    \(token)
            """)
        }
        let agentToken = try await tokens.mint(for: DemoData.seedingAgent, lifetime: lifetime)
        Swift.print("""

        Insurer agent (demo-seed-agent):
            token:    \(agentToken)

        Web portal: \(baseURL)/portal — sign in as a patient with an INS above: the one-time code is
        written to this server's log ("demo sign-in code"); professionals paste one of their tokens.

        Camille DURAND's record holds five synthetic documents by the physician (text, PDF, image, CDA) and six months of care history; she
        authorised the pharmacist; the nurse has no authorisation (finds nothing until she gets one, or
        declares the patient's consent with POST …/$authorize); Lucas MARTIN is the legal representative
        of the minor Inès BERNARD. Try, with TOKEN set to a token above:
          curl -H "Authorization: Bearer $TOKEN" '\(baseURL)/fhir/Patient?identifier=urn:oid:1.2.250.1.213.1.4.11%7C\(records.first?.ins.value ?? "")'
          curl -H "Authorization: Bearer $TOKEN" '\(baseURL)/fhir/DocumentReference?patient=\(records.first?.id.description ?? "")'
          curl -H "Authorization: Bearer $TOKEN" '\(baseURL)/fhir/ExplanationOfBenefit?patient=\(records.first?.id.description ?? "")'
          curl -H "Authorization: Bearer $TOKEN" '\(baseURL)/fhir/AuditEvent?patient=\(records.first?.id.description ?? "")'   (the patient's token)
        ─────────────────────────────────────────────────────────────────────────────

        """)
    }
}
