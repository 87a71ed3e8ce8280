import CarnetFHIR
import Foundation
import Hummingbird

/// `GET /fhir/metadata`: the CapabilityStatement. Public, as FHIR requires for discovery.
struct MetadataRoutes {
    let configuration: CarnetConfiguration

    func register(on group: RouterGroup<CarnetRequestContext>) {
        group.get("metadata") { _, _ in
            FHIRResponse.make(CapabilityStatement.carnet(baseURL: "\(configuration.baseURL)/fhir", version: CarnetVersion.current,
                                                         date: CarnetVersion.releaseDate))
        }
    }
}

/// The version this build reports in its CapabilityStatement and health check.
public enum CarnetVersion {
    public static let current = "0.1.0"
    public static let releaseDate = "2026-11-22"
}
