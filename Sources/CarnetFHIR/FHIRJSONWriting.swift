public import CarnetJSON

// The FHIR types of search answers written by hand (see `JSONWriter`): a page of DocumentReferences
// was a sixth of a search's CPU through `JSONEncoder`. Keys are written in sorted order, so the bytes
// equal `FHIRJSON`'s encoder output; `FHIRJSONWritingTests` compares the two on varied resources.

extension SearchBundle: JSONWritable where Resource: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("entry", entry)
        writer.field("link", link)
        writer.field("resourceType", resourceType)
        writer.field("total", total)
        writer.field("type", type)
        writer.endObject()
    }
}

extension SearchBundle.Entry: JSONWritable where Resource: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("extension", `extension`)
        writer.field("fullUrl", fullUrl)
        writer.field("resource", resource)
        writer.key("search")
        writer.beginObject()
        writer.field("mode", search.mode)
        writer.endObject()
        writer.endObject()
    }
}

extension SearchBundle.Link: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("relation", relation)
        writer.field("url", url)
        writer.endObject()
    }
}

extension DocumentReferenceResource: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("authenticator", authenticator)
        writer.field("author", author)
        writer.field("category", category)
        writer.field("contained", contained)
        writer.field("content", content)
        writer.field("context", context)
        writer.field("date", date)
        writer.field("description", description)
        writer.field("docStatus", docStatus)
        writer.field("extension", `extension`)
        writer.field("id", id)
        writer.field("identifier", identifier)
        writer.field("language", language)
        writer.field("masterIdentifier", masterIdentifier)
        writer.field("meta", meta)
        writer.field("relatesTo", relatesTo)
        writer.field("resourceType", resourceType)
        writer.field("securityLabel", securityLabel)
        writer.field("status", status)
        writer.field("subject", subject)
        writer.field("text", text)
        writer.field("type", type)
        writer.endObject()
    }
}

extension DocumentReferenceResource.Content: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("attachment", attachment)
        writer.field("format", format)
        writer.endObject()
    }
}

extension DocumentReferenceResource.Context: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("encounter", encounter)
        writer.field("event", event)
        writer.field("facilityType", facilityType)
        writer.field("period", period)
        writer.field("practiceSetting", practiceSetting)
        writer.field("related", related)
        writer.field("sourcePatientInfo", sourcePatientInfo)
        writer.endObject()
    }
}

extension DocumentReferenceResource.RelatesTo: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("code", code)
        writer.field("target", target)
        writer.endObject()
    }
}

extension ContainedResource: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) { raw.writeJSON(to: &writer) }
}

/// Any JSON value, keys sorted as `FHIRJSON`'s encoder sorts them.
extension JSONValue: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        switch self {
        case .null: writer.null()
        case .bool(let value): writer.bool(value)
        case .integer(let value): writer.int(Int(value))
        case .number(let value): writer.double(value)
        case .string(let value): writer.string(value)
        case .array(let values):
            writer.beginArray()
            for value in values { writer.value(value) }
            writer.endArray()
        case .object(let members):
            writer.beginObject()
            for key in members.keys.sorted() {
                writer.key(key)
                writer.value(members[key]!)
            }
            writer.endObject()
        }
    }
}

extension Attachment: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("contentType", contentType)
        writer.field("creation", creation)
        writer.field("data", data)
        writer.field("hash", hash)
        writer.field("language", language)
        writer.field("size", size)
        writer.field("title", title)
        writer.field("url", url)
        writer.endObject()
    }
}

extension Reference: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("display", display)
        writer.field("identifier", identifier)
        writer.field("reference", reference)
        writer.field("type", type)
        writer.endObject()
    }
}

extension Period: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("end", end)
        writer.field("start", start)
        writer.endObject()
    }
}

extension Identifier: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("system", system)
        writer.field("type", type)
        writer.field("use", use)
        writer.field("value", value)
        writer.endObject()
    }
}

extension Coding: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("code", code)
        writer.field("display", display)
        writer.field("system", system)
        writer.endObject()
    }
}

extension CodeableConcept: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("coding", coding)
        writer.field("text", text)
        writer.endObject()
    }
}

extension HumanName: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("extension", `extension`)
        writer.field("family", family)
        writer.field("given", given)
        writer.field("text", text)
        writer.field("use", use)
        writer.endObject()
    }
}

extension Address: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("city", city)
        writer.field("country", country)
        writer.field("extension", `extension`)
        writer.field("postalCode", postalCode)
        writer.endObject()
    }
}

extension Extension: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        // An extension as a sender sent it is written back whole, as its Encodable form does.
        if let raw {
            raw.writeJSON(to: &writer)
            return
        }
        writer.beginObject()
        writer.field("extension", `extension`)
        writer.field("url", url)
        writer.field("valueAddress", valueAddress)
        writer.field("valueBoolean", valueBoolean)
        writer.field("valueCode", valueCode)
        writer.field("valueCodeableConcept", valueCodeableConcept)
        writer.field("valueCoding", valueCoding)
        writer.field("valueDateTime", valueDateTime)
        writer.field("valueIdentifier", valueIdentifier)
        writer.field("valueString", valueString)
        writer.endObject()
    }
}

extension Meta: JSONWritable {
    public func writeJSON(to writer: inout JSONWriter) {
        writer.beginObject()
        writer.field("lastUpdated", lastUpdated)
        writer.field("profile", profile)
        writer.field("versionId", versionId)
        writer.endObject()
    }
}
