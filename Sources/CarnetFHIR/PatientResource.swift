/// The FHIR R4 `Patient` resource as Carnet reads and writes it: the record holder's identity,
/// following ANS's FR Core INS profile (`fr-core-patient-ins`) where it matters.
public struct PatientResource: Codable, Hashable, Sendable {
    public var resourceType: String
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    /// For a DMP, `active` tells whether the record is open (PDSm TD0.2).
    public var active: Bool?
    public var name: [HumanName]?
    public var gender: String?
    public var birthDate: String?
    public var telecom: [ContactPoint]?

    /// FHIR `ContactPoint`: Carnet keeps the e-mail address for the patient's notifications.
    public struct ContactPoint: Codable, Hashable, Sendable {
        public var system: String?
        public var value: String?
        public var use: String?

        public init(system: String?, value: String?, use: String? = nil) {
            self.system = system
            self.value = value
            self.use = use
        }
    }

    public init(id: String? = nil, meta: Meta? = nil, extension: [Extension]? = nil, identifier: [Identifier]? = nil,
                active: Bool? = nil, name: [HumanName]? = nil, gender: String? = nil, birthDate: String? = nil, telecom: [ContactPoint]? = nil) {
        self.telecom = telecom
        resourceType = "Patient"
        self.id = id
        self.meta = meta
        self.extension = `extension`
        self.identifier = identifier
        self.active = active
        self.name = name
        self.gender = gender
        self.birthDate = birthDate
    }

    /// Extension URLs used on Patient.
    public enum ExtensionURL {
        public static let birthPlace = "http://hl7.org/fhir/StructureDefinition/patient-birthPlace"
        public static let inseeCode = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-address-insee-code"
        public static let birthListGivenName = "https://hl7.fr/ig/fhir/core/StructureDefinition/fr-core-birth-list-given-name"
        /// Closure information of a DMP (PDSm TD0.2: dateFermeture, motifFermeture).
        public static let recordClosure = "https://interop.esante.gouv.fr/ig/fhir/dmp/StructureDefinition/dmp-fermeture"
        /// TD0.2: whether the caller is the patient's treating physician (PDSm4DMP `dmp-medecin-traitant`).
        public static let treatingPhysician = "https://interop.esante.gouv.fr/ig/fhir/dmp/StructureDefinition/dmp-medecin-traitant"
        /// TD0.2: the caller's access authorisation status, which PDSm leaves unmapped: Carnet's own extension.
        public static let accessStatus = "https://carnet.example/fhir/StructureDefinition/access-authorisation-status"
    }
}
