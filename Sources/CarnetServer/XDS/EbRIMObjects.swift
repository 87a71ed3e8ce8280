import CarnetCore
import Foundation

/// The ebRIM objects of a `RegistryObjectList` (ITI TF-3 §4.2.3), read from the message tree:
/// ExtrinsicObjects (DocumentEntries), RegistryPackages (SubmissionSets), Associations, and the
/// Classifications that stand beside or inside them.
struct EbRIMObjects {
    var extrinsicObjects: [XMLElementNode] = []
    var registryPackages: [XMLElementNode] = []
    var associations: [XMLElementNode] = []
    /// Classifications by the id of the object they classify (nested ones under their parent's id).
    var classifications: [String: [XMLElementNode]] = [:]

    init(_ list: XMLElementNode) {
        let rim = XDSVocabulary.Namespace.rim
        for element in list.children where element.namespace == rim {
            switch element.name {
            case "ExtrinsicObject": extrinsicObjects.append(element)
            case "RegistryPackage": registryPackages.append(element)
            case "Association": associations.append(element)
            case "Classification":
                if let target = element.attributes["classifiedObject"] { classifications[target, default: []].append(element) }
            default: continue
            }
        }
        for object in extrinsicObjects + registryPackages {
            guard let id = object.attributes["id"] else { continue }
            for classification in object.children("Classification", rim) {
                classifications[classification.attributes["classifiedObject"] ?? id, default: []].append(classification)
            }
        }
    }

    /// The classifications of `object` with the scheme `scheme`.
    func classifications(of object: XMLElementNode, scheme: String) -> [XMLElementNode] {
        (classifications[object.attributes["id"] ?? ""] ?? []).filter { $0.attributes["classificationScheme"] == scheme }
    }

    /// Whether a RegistryPackage is classified as a SubmissionSet.
    func isSubmissionSet(_ package: XMLElementNode) -> Bool {
        (classifications[package.attributes["id"] ?? ""] ?? []).contains {
            $0.attributes["classificationNode"] == XDSVocabulary.SubmissionSet.classificationNode
        }
    }
}

extension XMLElementNode {
    /// The values of the slot `name` (`rim:Slot/rim:ValueList/rim:Value`).
    func slot(_ name: String) -> [String] {
        let rim = XDSVocabulary.Namespace.rim
        return children("Slot", rim).filter { $0.attributes["name"] == name }
            .flatMap { $0.child("ValueList", rim)?.children("Value", rim) ?? [] }.map(\.trimmedText)
    }

    /// The value of the external identifier with scheme `scheme`.
    func externalIdentifier(_ scheme: String) -> String? {
        children("ExternalIdentifier", XDSVocabulary.Namespace.rim).first { $0.attributes["identificationScheme"] == scheme }?
            .attributes["value"]?.trimmingCharacters(in: .whitespaces)
    }

    /// The first localized string of `rim:Name` or `rim:Description`.
    func localizedString(_ element: String) -> String? {
        let rim = XDSVocabulary.Namespace.rim
        return child(element, rim)?.child("LocalizedString", rim)?.attributes["value"].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A classification's code: `nodeRepresentation`, its `codingScheme` slot, its name.
    var classificationCode: Code? {
        guard let code = attributes["nodeRepresentation"]?.trimmingCharacters(in: .whitespaces), !code.isEmpty else { return nil }
        return Code(system: XDSCoding.system(ofScheme: slot("codingScheme").first), code: code, display: localizedString("Name"))
    }
}
