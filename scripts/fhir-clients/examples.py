"""Summary resources in the shape of HL7 FHIR R4's own examples, written for Carnet (synthetic content).

Each follows the structure of the R4 example named beside it (hl7.org/fhir/R4/<name>.json: the
same elements, nesting, narrative, contained resources and choice types), with made-up clinical
content; none is a copy of an official file. `patient` is the Carnet record id they are filed under.
Each function returns (who records it: "professional" or "patient", the resource).
"""


def narrative(text):
    return {"status": "generated", "div": f'<div xmlns="http://www.w3.org/1999/xhtml"><p>{text}</p></div>'}


def allergy_intolerance(patient):
    """Shape of allergyintolerance-example.json: identifiers, both statuses, reactions with substance,
    manifestations, route and notes, partial dates."""
    return "professional", {
        "resourceType": "AllergyIntolerance",
        "id": "example",  # a create ignores it (R4 http.html#create)
        "text": narrative("Allergie aux arachides, réaction sévère (synthétique)"),
        "identifier": [{"system": "http://example.org/ids/patients/risks", "value": "49476534-carnet"}],
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active",
                                       "display": "Active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification",
                                           "code": "confirmed", "display": "Confirmed"}]},
        "type": "allergy",
        "category": ["food"],
        "criticality": "high",
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "91935009", "display": "Allergy to peanuts"}],
                 "text": "Arachides"},
        "patient": {"reference": f"Patient/{patient}"},
        "onsetDateTime": "2004",
        "recordedDate": "2014-10-09T14:58:00+01:00",
        "recorder": {"display": "Dr Alice Lemoine (synthétique)"},
        "asserter": {"reference": f"Patient/{patient}"},
        "lastOccurrence": "2012-06",
        "note": [{"text": "Réaction décrite par la patiente lors d'un repas (synthétique)."}],
        "reaction": [
            {
                "substance": {"coding": [{"system": "http://snomed.info/sct", "code": "762952008", "display": "Peanut"}]},
                "manifestation": [{"coding": [{"system": "http://snomed.info/sct", "code": "39579001", "display": "Anaphylactic reaction"}]}],
                "description": "Difficulté respiratoire et œdème (synthétique)",
                "onset": "2012-06-12",
                "severity": "severe",
                "exposureRoute": {"coding": [{"system": "http://snomed.info/sct", "code": "34206005", "display": "Subcutaneous route"}]},
            },
            {
                "manifestation": [{"coding": [{"system": "http://snomed.info/sct", "code": "64305001", "display": "Urticaria"}]}],
                "onset": "2004",
                "severity": "moderate",
                "note": [{"text": "Première réaction (synthétique)."}],
            },
        ],
    }


def condition(patient):
    """Shape of condition-example.json: categories with two codings, severity, body site, onset."""
    return "professional", {
        "resourceType": "Condition",
        "id": "example",
        "text": narrative("Asthme, sévérité modérée (synthétique)"),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "problem-list-item",
                                  "display": "Problem List Item"},
                                 {"system": "http://snomed.info/sct", "code": "439401001", "display": "Diagnosis"}]}],
        "severity": {"coding": [{"system": "http://snomed.info/sct", "code": "6736007", "display": "Moderate"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "195967001", "display": "Asthma"}], "text": "Asthme"},
        "bodySite": [{"coding": [{"system": "http://snomed.info/sct", "code": "39607008", "display": "Lung structure"}], "text": "Poumons"}],
        "subject": {"reference": f"Patient/{patient}"},
        "onsetDateTime": "2012-05-24",
        "recordedDate": "2013-01-10",
    }


def medication_statement(patient):
    """Shape of medicationstatementexample1.json: a contained Medication referenced as `#med0309`,
    category, dates, reason, note, and a structured dosage (timing, route, dose and rate)."""
    return "professional", {
        "resourceType": "MedicationStatement",
        "id": "example001",
        "contained": [{
            "resourceType": "Medication",
            "id": "med0309",
            "code": {"coding": [{"system": "http://www.whocc.no/atc", "code": "R03AC02", "display": "salbutamol"}]},
            "form": {"coding": [{"system": "http://snomed.info/sct", "code": "420317006", "display": "Inhalation powder"}]},
            "batch": {"lotNumber": "9494788", "expirationDate": "2027-05-22"},
        }],
        "status": "active",
        "category": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/medication-statement-category", "code": "inpatient",
                                 "display": "Inpatient"}]},
        "medicationReference": {"reference": "#med0309"},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": "2015-01-23",
        "dateAsserted": "2015-02-22",
        "informationSource": {"reference": f"Patient/{patient}"},
        "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "195967001", "display": "Asthma"}]}],
        "note": [{"text": "Utilisation en cas de crise (synthétique)."}],
        "dosage": [{
            "sequence": 1,
            "text": "2 inhalations si besoin, 4 fois par jour au plus",
            "additionalInstruction": [{"coding": [{"system": "http://snomed.info/sct", "code": "418914006",
                                                   "display": "Warning. May cause drowsiness."}]}],
            "timing": {"repeat": {"frequency": 1, "period": 6, "periodUnit": "h"}},
            "asNeededCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "267036007", "display": "Dyspnea"}]},
            "route": {"coding": [{"system": "http://snomed.info/sct", "code": "447694001", "display": "Respiratory tract route"}]},
            "doseAndRate": [{"type": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/dose-rate-type", "code": "ordered",
                                                  "display": "Ordered"}]},
                             "doseRange": {"low": {"value": 1, "unit": "puff", "system": "http://unitsofmeasure.org", "code": "{puff}"},
                                           "high": {"value": 2, "unit": "puff", "system": "http://unitsofmeasure.org", "code": "{puff}"}}}],
            "maxDosePerPeriod": {"numerator": {"value": 8, "unit": "puff", "system": "http://unitsofmeasure.org", "code": "{puff}"},
                                 "denominator": {"value": 1, "system": "http://unitsofmeasure.org", "code": "d"}},
        }],
    }


def immunization(patient):
    """Shape of immunization-example.json: vaccine code, occurrence, primary source, lot, site, route,
    dose quantity, performers with their function, reason, subpotency, education, eligibility."""
    return "professional", {
        "resourceType": "Immunization",
        "id": "example",
        "text": narrative("Vaccination antigrippale (synthétique)"),
        "identifier": [{"system": "urn:ietf:rfc:3986", "value": "urn:oid:1.3.6.1.4.1.21367.2005.3.7.1234.999"}],
        "status": "completed",
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "141", "display": "Influenza, seasonal, injectable"}],
                        "text": "Vaccin grippe saisonnière"},
        "patient": {"reference": f"Patient/{patient}"},
        "occurrenceDateTime": "2024-10-10",
        "recorded": "2024-10-10",
        "primarySource": True,
        "lotNumber": "AAJN11K",
        "expirationDate": "2025-02-15",
        "site": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActSite", "code": "LA", "display": "left arm"}]},
        "route": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-RouteOfAdministration", "code": "IM",
                              "display": "Injection, intramuscular"}]},
        "doseQuantity": {"value": 0.5, "system": "http://unitsofmeasure.org", "code": "mL"},
        "performer": [
            {"function": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0443", "code": "OP", "display": "Ordering Provider"}]},
             "actor": {"display": "Dr Alice Lemoine (synthétique)"}},
            {"function": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0443", "code": "AP",
                                      "display": "Administering Provider"}]},
             "actor": {"display": "Chloé Petit (synthétique)"}},
        ],
        "note": [{"text": "Aucune réaction immédiate (synthétique)."}],
        "reasonCode": [{"coding": [{"system": "http://snomed.info/sct", "code": "429060002"}]}],
        "isSubpotent": False,
        "education": [{"documentType": "253088698300010311120702", "publicationDate": "2012-07-02", "presentationDate": "2024-10-10"}],
        "programEligibility": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/immunization-program-eligibility",
                                            "code": "ineligible"}]}],
        "fundingSource": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/immunization-funding-source", "code": "private"}]},
    }


def blood_group(patient):
    """Shape of observation-example-bloodgroup.json: category laboratory, the ABO/Rh LOINC code, a coded
    value, performer and effective date."""
    return "professional", {
        "resourceType": "Observation",
        "id": "bloodgroup",
        "text": narrative("Groupe sanguin A Rh(D) positif (synthétique)"),
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "laboratory",
                                  "display": "Laboratory"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "882-1", "display": "ABO and Rh group [Type] in Blood"}],
                 "text": "Groupe sanguin"},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": "2018-03-11T16:07:54+00:00",
        "issued": "2018-03-11T16:07:54.000+00:00",
        "performer": [{"display": "Laboratoire de biologie (synthétique)"}],
        "valueCodeableConcept": {"coding": [{"system": "http://snomed.info/sct", "code": "278149003",
                                             "display": "Blood group A Rh(D) positive"}]},
    }


def related_person(patient):
    """Shape of relatedperson-example.json: identifier, active, relationship, name, telecom, gender,
    address and period — here the patient's emergency contact (v2-0131 C)."""
    return "patient", {
        "resourceType": "RelatedPerson",
        "id": "benedicte",
        "text": narrative("Personne à prévenir (synthétique)"),
        "active": True,
        "patient": {"reference": f"Patient/{patient}"},
        "relationship": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0131", "code": "C",
                                      "display": "Emergency Contact"}]}],
        "name": [{"use": "official", "family": "DEMO", "given": ["Bénédicte"]}],
        "telecom": [{"system": "phone", "value": "+33 1 00 00 00 01", "use": "home"}],
        "gender": "female",
        "address": [{"line": ["1 rue de l'Exemple"], "city": "Paris", "postalCode": "75000", "country": "FRA"}],
        "period": {"start": "2020-01-01"},
    }


def advance_directive(patient):
    """Shape of consent-example-notThis.json and the ADR examples: scope adr, category, policy rule,
    source attachment and a denying provision."""
    return "patient", {
        "resourceType": "Consent",
        "id": "consent-example-adr",
        "text": narrative("Directives anticipées (synthétique)"),
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "adr",
                              "display": "Advanced Care Directive"}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentcategorycodes", "code": "acd",
                                  "display": "Advance Directive"}]}],
        "patient": {"reference": f"Patient/{patient}"},
        "dateTime": "2025-02-01",
        "sourceAttachment": {"contentType": "text/plain", "title": "Mes directives anticipées (synthétique)", "language": "fr"},
        "policyRule": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentpolicycodes", "code": "cric"}]},
        "provision": {"type": "deny", "period": {"start": "2025-02-01"},
                      "code": [{"coding": [{"system": "http://snomed.info/sct", "code": "305351004",
                                            "display": "Admission to intensive care unit"}]}]},
    }


def organ_donation(patient):
    """The organ-donation stance as Carnet files it (category organ-donation, scope treatment), in the
    shape of consent-example-basic.json."""
    return "patient", {
        "resourceType": "Consent",
        "status": "active",
        "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "treatment"}]},
        "category": [{"coding": [{"system": "https://carnet.example/fhir/CodeSystem/consent-category", "code": "organ-donation"}]}],
        "patient": {"reference": f"Patient/{patient}"},
        "dateTime": "2025-09-01",
        "policyRule": {"text": "Don d'organes : non opposé (synthétique)"},
        "provision": {"type": "permit"},
    }


def no_known_allergy(patient):
    """Shape of allergyintolerance-nka.json: 'no known allergy' as a coded statement, no reaction."""
    return "professional", {
        "resourceType": "AllergyIntolerance",
        "id": "nka",
        "text": narrative("Pas d'allergie connue (synthétique)"),
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-clinical", "code": "active"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/allergyintolerance-verification", "code": "confirmed"}]},
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "716186003", "display": "No known allergy"}], "text": "NKA"},
        "patient": {"reference": f"Patient/{patient}"},
        "recordedDate": "2015-08-06T15:37:31-06:00",
    }


def resolved_condition(patient):
    """Shape of condition-example-f201-fever.json and -stroke: an onset given as an age, an abatement as
    text, evidence and a stage."""
    return "professional", {
        "resourceType": "Condition",
        "id": "f201",
        "clinicalStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-clinical", "code": "resolved"}]},
        "verificationStatus": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-ver-status", "code": "confirmed"}]},
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/condition-category", "code": "encounter-diagnosis"}]}],
        "code": {"coding": [{"system": "http://snomed.info/sct", "code": "386661006", "display": "Fever"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "onsetAge": {"value": 52, "unit": "years", "system": "http://unitsofmeasure.org", "code": "a"},
        "abatementString": "au bout de quelques jours (synthétique)",
        "recordedDate": "2013-04-04",
        "stage": [{"summary": {"coding": [{"system": "http://snomed.info/sct", "code": "14803004", "display": "Temporary"}]}}],
        "evidence": [{"code": [{"coding": [{"system": "http://snomed.info/sct", "code": "258710007", "display": "degrees C"}]}],
                      "detail": [{"display": "Température 39,2 °C (synthétique)"}]}],
    }


def stopped_medication(patient):
    """Shape of medicationstatementexample7.json: a coded medicine, not taken any more, with a reason
    and a period."""
    return "patient", {
        "resourceType": "MedicationStatement",
        "id": "example007",
        "status": "stopped",
        "statusReason": [{"coding": [{"system": "http://snomed.info/sct", "code": "266711001", "display": "Drug not taken - patient choice"}]}],
        "medicationCodeableConcept": {"coding": [{"system": "http://www.whocc.no/atc", "code": "N02BE01", "display": "paracetamol"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectivePeriod": {"start": "2024-01-05", "end": "2024-01-12"},
        "dateAsserted": "2024-02-01",
        "dosage": [{"text": "1 g trois fois par jour (synthétique)"}],
    }


def immunization_not_done(patient):
    """Shape of immunization-example-refused.json: not done, with the reason, and no primary source."""
    return "professional", {
        "resourceType": "Immunization",
        "id": "notGiven",
        "status": "not-done",
        "statusReason": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "MEDPREC", "display": "medical precaution"}]},
        "vaccineCode": {"coding": [{"system": "http://hl7.org/fhir/sid/cvx", "code": "01", "display": "DTP"}]},
        "patient": {"reference": f"Patient/{patient}"},
        "occurrenceDateTime": "2013-01-10",
        "primarySource": True,
    }


def body_weight(patient):
    """Shape of observation-example.json: a vital sign with a quantity (UCUM) and a reference range."""
    return "professional", {
        "resourceType": "Observation",
        "id": "example",
        "status": "final",
        "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/observation-category", "code": "vital-signs",
                                  "display": "Vital Signs"}]}],
        "code": {"coding": [{"system": "http://loinc.org", "code": "29463-7", "display": "Body Weight"},
                            {"system": "http://loinc.org", "code": "3141-9", "display": "Body weight Measured"}]},
        "subject": {"reference": f"Patient/{patient}"},
        "effectiveDateTime": "2016-03-28",
        "valueQuantity": {"value": 67.5, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
        "referenceRange": [{"low": {"value": 50, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"},
                            "high": {"value": 80, "unit": "kg", "system": "http://unitsofmeasure.org", "code": "kg"}}],
    }


def trusted_person(patient):
    """The trusted person (personne de confiance), coded as Carnet documents it, in the shape of
    relatedperson-example-f001.json."""
    return "patient", {
        "resourceType": "RelatedPerson",
        "active": True,
        "patient": {"reference": f"Patient/{patient}"},
        "relationship": [{"coding": [{"system": "https://carnet.example/fhir/CodeSystem/related-person-role", "code": "personne-de-confiance"}]}],
        "name": [{"use": "usual", "family": "DEMO", "given": ["Jean"]}],
        "telecom": [{"system": "email", "value": "jean.demo@example.org"}],
        "gender": "male",
    }


ALL = [allergy_intolerance, no_known_allergy, condition, resolved_condition, medication_statement, stopped_medication, immunization,
       immunization_not_done, blood_group, body_weight, related_person, trusted_person, advance_directive, organ_donation]
