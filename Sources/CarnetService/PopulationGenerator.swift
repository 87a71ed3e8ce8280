public import CarnetCore
public import CarnetStore
public import Foundation

/// A synthetic national-scale population for benchmarks (`carnet generate`): deterministic for a
/// seed, realistic in its shapes — most patients with a handful of documents, a few with hundreds;
/// real LOINC types in the proportions the DMP reports; sizes from 2 KB to 2 MB; dates over ten
/// years; claims over 30 months; valid INS (test OID) with correct keys; professionals of several
/// professions; authorisations, treating physicians and blocks in plausible proportions.
///
/// It loads directly through the store, as the service would have written them: per patient, the
/// record with its controls, then its documents, each with its audit event; several patients at once,
/// so their transactions share commits. Document contents come from a pool of a few
/// hundred synthetic files (content-addressed storage keeps each once), so a million documents fit
/// on a laptop's disk. Nothing here is real: names are drawn from a list marked synthetic.
public struct PopulationGenerator: Sendable {
    public struct Options: Sendable {
        public var patients: Int
        public var documentsPerPatient: Int
        public var claimsPerPatient: Int
        public var seed: UInt64

        public init(patients: Int, documentsPerPatient: Int, claimsPerPatient: Int, seed: UInt64) {
            self.patients = patients
            self.documentsPerPatient = documentsPerPatient
            self.claimsPerPatient = claimsPerPatient
            self.seed = seed
        }
    }

    public struct Progress: Sendable {
        public var patients: Int
        public var totalPatients: Int
        public var documents: Int
        public var claims: Int
    }

    public struct Summary: Sendable, CustomStringConvertible {
        public var patients: Int
        public var alreadyThere: Int
        public var documents: Int
        public var claims: Int
        public var seconds: Double

        public var description: String {
            String(format: "%d patients (%d already there), %d documents, %d claims in %.1f s: %.0f patients/s, %.0f documents/s",
                   patients, alreadyThere, documents, claims, seconds, Double(patients) / max(seconds, 0.001), Double(documents) / max(seconds, 0.001))
        }
    }

    let store: any RecordStore
    let blobs: any BlobStore
    let now: Date

    public init(store: any RecordStore, blobs: any BlobStore, now: Date = Date()) {
        self.store = store
        self.blobs = blobs
        self.now = now
    }

    /// The seeding actor written in the audit trail of every generated record.
    static let agent = Actor(role: .agent(id: "synthetic-population-generator"))

    /// How many patients load at once: their transactions share commits (the SQLite store's group
    /// commit, PostgreSQL's connection pool), which is what makes a large population load in minutes.
    static let concurrentPatients = 16

    public func run(_ options: Options, progress: @Sendable (Progress) -> Void = { _ in }) async throws -> Summary {
        let started = Date()
        let pool = try await contentPool(seed: options.seed)
        let professionals = Self.professionals(count: max(50, options.patients / 50), seed: options.seed)
        var state = Progress(patients: 0, totalPatients: options.patients, documents: 0, claims: 0)
        var existing = 0
        var claims: [Claim] = []
        for chunk in stride(from: 0, to: options.patients, by: Self.concurrentPatients) {
            let indices = chunk..<min(chunk + Self.concurrentPatients, options.patients)
            let loaded = try await withThrowingTaskGroup(of: LoadedPatient.self) { group in
                for index in indices {
                    group.addTask { try await self.load(patient: index, options, pool: pool, professionals: professionals) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            for patient in loaded {
                if patient.created { state.documents += patient.documents } else { existing += 1 }
                claims += patient.claims
            }
            if claims.count >= 5_000 {
                state.claims += try await store.addClaims(claims, checkpoint: Self.checkpoint(options, indices.upperBound))
                claims.removeAll(keepingCapacity: true)
            }
            let before = state.patients
            state.patients += indices.count
            if state.patients / 100 != before / 100 { progress(state) }
        }
        if !claims.isEmpty { state.claims += try await store.addClaims(claims, checkpoint: Self.checkpoint(options, options.patients)) }
        progress(state)
        return Summary(patients: state.patients, alreadyThere: existing, documents: state.documents, claims: state.claims,
                       seconds: Date().timeIntervalSince(started))
    }

    /// What loading one patient did: whether the record is new (an existing one is left as it is),
    /// how many documents it got, and its claims, which the caller imports in batches.
    struct LoadedPatient: Sendable {
        var created: Bool
        var documents: Int
        var claims: [Claim]
    }

    /// Creates patient `index` with their controls, then their documents in one transaction.
    func load(patient index: Int, _ options: Options, pool: [PooledContent], professionals: [Professional]) async throws -> LoadedPatient {
        var random = SplitMix64(seed: options.seed &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        let patient = try Self.patient(index, &random)
        let controls = Self.controls(&random, professionals: professionals, now: now)
        let record = HealthRecord(ins: patient.ins, identity: patient.identity, createdAt: now.addingTimeInterval(-Double(random.next(below: 3_650)) * 86_400))
        let creation = try await store.createRecord(record, controls: controls, audit: AuditEvent(
            recordID: record.id, recordedAt: now, actor: Self.agent, action: .createRecord, outcome: .success, rule: .agentAdministersRecord,
            detail: "synthetic population"))
        guard case .created(let created) = creation else { return LoadedPatient(created: false, documents: 0, claims: []) }
        let count = Self.documentCount(mean: options.documentsPerPatient, &random)
        var additions: [DocumentAddition] = []
        for number in 0..<count {
            let author = professionals[random.next(below: professionals.count)]
            let (type, category, title) = Self.documentType(&random)
            let pooled = pool[random.next(below: pool.count)]
            // A store that keeps content per record (PostgreSQL's) gets each document's own copy.
            let content = blobs.sharesContentAcrossRecords ? pooled.content : try await Self.content(of: blobs.put(pooled.bytes, in: created.id))
            let date = now.addingTimeInterval(-Double(random.next(below: 3_650 * 86_400)))
            let entry = DocumentEntry(recordID: created.id, uniqueID: "1.2.250.1.999.77.\(options.seed).\(index).\(number)",
                                      type: type, category: category, title: title,
                                      authors: [DocumentAuthor(identifierSystem: RPPS.nationalIDSystem, identifierValue: author.rpps.nationalID,
                                                               display: author.displayName)],
                                      submitterID: author.rpps.value, date: date, recordedAt: date.addingTimeInterval(3_600), content: content)
            // Indexed for full-text search as a push would be (issue 18): metadata, a clinical phrase, the content's opening.
            let phrase = Self.clinicalPhrases[(index &* 31 &+ number &* 7) % Self.clinicalPhrases.count]
            additions.append(DocumentAddition(entry: entry, superseding: nil,
                                              searchText: DocumentSearchText.indexText(of: entry, contentText: phrase + "\n" + pooled.opening)))
        }
        if !additions.isEmpty {
            try await store.addDocuments(additions, audits: [AuditEvent(
                recordID: created.id, recordedAt: now, actor: Self.agent, action: .createDocument,
                resources: additions.prefix(20).map { "DocumentReference/\($0.entry.id)" }, outcome: .success, rule: .agentAdministersRecord,
                detail: "synthetic population: \(additions.count) documents")])
        }
        let claims = try (0..<options.claimsPerPatient).map { number in try Self.claim(number, for: created.ins, &random, now: now) }
        return LoadedPatient(created: true, documents: additions.count, claims: claims)
    }

    static func checkpoint(_ options: Options, _ index: Int) -> ClaimImportCheckpoint {
        ClaimImportCheckpoint(source: "generate:\(options.seed)", linesDone: index, imported: 0, duplicates: 0, rejected: 0)
    }

    // MARK: - Shapes

    /// A patient with a valid INS on the test OID: the number encodes the index (unique up to 19
    /// million), the key is computed.
    static func patient(_ index: Int, _ random: inout SplitMix64) throws -> (ins: INS, identity: PatientIdentity) {
        let sex = 1 + random.next(below: 2)
        let year = 1930 + random.next(below: 95)
        let month = 1 + random.next(below: 12)
        let department = 1 + (index / 1_000_000) % 19
        let number = String(format: "%d%02d%02d%02d%03d%03d", sex, year % 100, month, department, (index / 1_000) % 1_000, index % 1_000)
        let key = INS.expectedKey(for: number)
        let ins = try INS(number + String(format: "%02d", key), system: .test)
        let families = ["SYNTH-MARTIN", "SYNTH-BERNARD", "SYNTH-THOMAS", "SYNTH-PETIT", "SYNTH-ROBERT", "SYNTH-RICHARD", "SYNTH-DURAND", "SYNTH-LEROY"]
        let givens = sex == 1 ? ["Louis", "Gabriel", "Jules", "Adam", "Hugo", "Paul"] : ["Jade", "Louise", "Emma", "Alice", "Chloé", "Lina"]
        let identity = PatientIdentity(birthFamilyName: families[random.next(below: families.count)], givenNames: [givens[random.next(below: givens.count)]],
                                       birthDate: try PartialDate(String(format: "%04d-%02d-%02d", year, month, 1 + random.next(below: 28))),
                                       sex: sex == 1 ? .male : .female)
        return (ins, identity)
    }

    /// Most patients authorise their physician and a pharmacist; some designate a treating physician;
    /// about one in fifty blocks someone; one in a hundred opposes break-the-glass.
    static func controls(_ random: inout SplitMix64, professionals: [Professional], now: Date) -> AccessControls {
        var controls = AccessControls(version: 1)
        for _ in 0..<(1 + random.next(below: 4)) {
            let professional = professionals[random.next(below: professionals.count)]
            controls.authorisations[professional.rpps.value] = Authorisation(basis: random.next(below: 3) == 0 ? .careTeam : .patientGrant, since: now)
        }
        if random.next(below: 3) == 0, let physician = professionals.first(where: { $0.profession == .physician && controls.authorisations[$0.rpps.value] != nil }) {
            controls.treatingPhysician = TreatingPhysician(rpps: physician.rpps.value, since: now)
        }
        if random.next(below: 50) == 0 { controls.blocked[professionals[random.next(below: professionals.count)].rpps.value] = now }
        if random.next(below: 100) == 0 { controls.breakTheGlassAllowed = false }
        return controls
    }

    /// A heavy tail with the asked mean: a Pareto draw (shape 1.5), capped at 500.
    static func documentCount(mean: Int, _ random: inout SplitMix64) -> Int {
        guard mean > 0 else { return 0 }
        let uniform = max(random.nextUnit(), 1e-9)
        let shape = 1.5
        let scale = Double(mean) * (shape - 1) / shape
        return min(500, Int((scale / pow(uniform, 1 / shape)).rounded()))
    }

    /// Types in the proportions of the DMP's 2023 feeders (biology 37 %, office reports 35 %,
    /// hospitals 17 %, imaging 8 %, pharmacists 3 %).
    static func documentType(_ random: inout SplitMix64) -> (Code, Code, String) {
        let draw = random.next(below: 100)
        let (code, category, title): (String, String, String) = switch draw {
        case ..<37: ("11502-2", "10", "Compte rendu d'examens biologiques (synthétique)")
        case ..<62: ("11488-4", "10", "Compte rendu de consultation (synthétique)")
        case ..<72: ("57833-6", "42", "Prescription (synthétique)")
        case ..<82: ("34112-3", "10", "Compte rendu hospitalier (synthétique)")
        case ..<89: ("11490-0", "10", "Lettre de liaison (synthétique)")
        case ..<97: ("18748-4", "10", "Compte rendu d'imagerie (synthétique)")
        default: ("60591-5", "10", "Synthèse médicale (synthétique)")
        }
        return (Code(system: "http://loinc.org", code: code), Code(system: "urn:oid:1.2.250.1.213.1.1.4.1", code: category), title)
    }

    static func claim(_ number: Int, for ins: INS, _ random: inout SplitMix64, now: Date) throws -> Claim {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Europe/Paris") ?? .gmt
        let day = calendar.date(byAdding: .day, value: -random.next(below: 913), to: now) ?? now
        let parts = calendar.dateComponents([.year, .month, .day], from: day)
        let acts = [("G", "https://www.ameli.fr/ngap", "Consultation (synthétique)"), ("3400930000000", "urn:oid:1.2.250.1.213.2.3.1", "Médicament (synthétique)"),
                    ("B", "https://www.ameli.fr/nabm", "Biologie (synthétique)"), ("AMI", "https://www.ameli.fr/ngap", "Soin infirmier (synthétique)")]
        let act = acts[random.next(below: acts.count)]
        return Claim(id: "GEN-\(ins.value)-\(number)", ins: ins,
                     serviceDate: try PartialDate(String(format: "%04d-%02d-%02d", parts.year ?? 2026, parts.month ?? 1, parts.day ?? 1)),
                     code: Code(system: act.1, code: act.0), label: act.2, prescriberRPPS: nil, performer: "SYNTH",
                     chargedCents: 1_000 + random.next(below: 9_000), reimbursedCents: 700 + random.next(below: 5_000))
    }

    /// Professionals of several professions, most of them physicians, then nurses and pharmacists.
    static func professionals(count: Int, seed: UInt64) -> [Professional] {
        var random = SplitMix64(seed: seed ^ 0x5EED)
        let professions: [Profession] = [.physician, .physician, .physician, .nurse, .pharmacist, .physiotherapist, .dentist, .midwife]
        return (0..<count).compactMap { index in
            let profession = professions[random.next(below: professions.count)]
            guard let rpps = try? RPPS(String(format: "996%08d", index)) else { return nil }
            return Professional(rpps: rpps, profession: profession, displayName: "Professionnel synthétique \(index)")
        }
    }

    /// A synthetic file and how it is stored (once, under a placeholder record, where stores share content across records).
    struct PooledContent: Sendable {
        var content: DocumentContent
        var bytes: Data
        /// The content's first words, which the population's text index holds (the rest repeats them).
        var opening: String { String(decoding: bytes.prefix(160), as: UTF8.self) }
    }

    /// Synthetic findings, one per document (deterministic), so a `_content` search has words to find
    /// in some documents and not others, as in a real record.
    static let clinicalPhrases = [
        "Échocardiographie transthoracique : fuite mitrale minime, fraction d'éjection conservée.",
        "Radiographie thoracique normale, pas d'épanchement pleural.",
        "Bilan biologique : hémoglobine normale, créatinine stable, pas de syndrome inflammatoire.",
        "Consultation de suivi du diabète de type 2, HbA1c à 7,1 %.",
        "Compte rendu opératoire : appendicectomie sous cœlioscopie sans complication.",
        "Hypertension artérielle équilibrée sous traitement, poursuite de l'amlodipine.",
        "IRM cérébrale sans anomalie, pas de lésion ischémique récente.",
        "Allergie à la pénicilline confirmée par le bilan allergologique.",
        "Scanner abdominal : lithiase vésiculaire non compliquée.",
        "Vaccination antigrippale réalisée, bonne tolérance.",
        "Électrocardiogramme : rythme sinusal, pas de trouble de la conduction.",
        "Suivi de grossesse : échographie du deuxième trimestre normale.",
        "Asthme persistant léger, adaptation du traitement inhalé.",
        "Fracture du radius distal traitée orthopédiquement, consolidation en cours.",
        "Dépistage du cancer colorectal : coloscopie sans polype.",
        "Insuffisance rénale chronique stade 3, surveillance néphrologique.",
    ]

    static func content(of stored: StoredBlob) -> DocumentContent {
        DocumentContent(contentType: "text/plain", language: "fr-FR", size: stored.reference.size, sha256: stored.reference.sha256,
                        sha1Base64: stored.sha1Base64, keyID: stored.reference.keyID)
    }

    /// A few hundred synthetic files from 2 KB to 2 MB, sizes spread log-uniformly, stored once each.
    func contentPool(seed: UInt64) async throws -> [PooledContent] {
        var random = SplitMix64(seed: seed ^ 0xC0FFEE)
        var pool: [PooledContent] = []
        let placeholder = RecordID()
        for index in 0..<256 {
            let size = Int(2_048 * pow(1_024, random.nextUnit()))
            var text = "Document synthétique \(index) — aucune donnée réelle.\n"
            let line = "Lorem ipsum synthétique, \(index), valeurs fictives.\n"
            text.reserveCapacity(size)
            while text.utf8.count < size { text += line }
            let bytes = Data(text.utf8.prefix(size))
            let stored = blobs.sharesContentAcrossRecords ? try await blobs.put(bytes, in: placeholder) : nil
            pool.append(PooledContent(content: stored.map(Self.content(of:)) ?? Self.content(of: StoredBlob(
                reference: BlobReference(sha256: blobs.address(of: bytes), size: bytes.count, keyID: ""), sha1Base64: "")), bytes: bytes))
        }
        return pool
    }
}

/// A small, fast, seedable generator (SplitMix64): the same seed gives the same population anywhere.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A number in 0..<bound.
    public mutating func next(below bound: Int) -> Int { Int(next() % UInt64(max(bound, 1))) }

    /// A number in [0, 1).
    public mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
