#!/usr/bin/env python3
"""Carnet as real FHIR client libraries see it: SMART's `fhirclient` and beda.software's `fhirpy`.

    python scripts/fhir-clients/client_test.py CARNET_BINARY [--database-url URL]

Run with the test virtual environment's python (scripts/test installs both libraries there, pinned in
scripts/fhir-validator/requirements.txt). Starts `carnet serve --demo` on loopback with a fresh data
directory — and, with --database-url (a PostgreSQL superuser URL, as scripts/with-postgres exports it),
a fresh database on that cluster — then, as a physician and as a patient:

- parses the CapabilityStatement with fhirclient in strict mode, and checks that it declares exactly
  what is served: every declared search parameter is accepted, an undeclared one refused, every
  declared interaction answered, every undeclared one refused;
- drives the REST calls issue 22 lists through the two clients (read, search with paging, create,
  update, patch, delete, conditional create with If-None-Exist, If-Match, Prefer: return, _summary=count,
  _total, POST _search, ETag and Last-Modified, Location with _history, 405 and 406), each answer parsed
  by fhirclient's models in strict mode;
- round-trips summary resources written in the shape of HL7 R4's examples (examples.py): created,
  read back with every element sent, searched, updated, versioned and deleted;
- pushes an ITI-65 transaction whose relatesTo names another document of the same bundle by urn:uuid.

The server's log is checked for health data afterwards, like the rest of the suite's.
"""

import argparse
import base64
import copy
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest
import urllib.parse
import uuid

import requests
from fhirclient import server as fhirclient_server
from fhirclient.models import annotation as fc_annotation
from fhirclient.models import binary as fc_binary
from fhirclient.models import condition as fc_condition
from fhirclient.models import explanationofbenefit as fc_eob
from fhirclient.models import capabilitystatement as fc_capability
from fhirclient.models import fhirelementfactory
from fhirclient.models import patient as fc_patient
from fhirclient.models import documentreference as fc_documentreference
from fhirpy import SyncFHIRClient
from fhirpy.base.exceptions import MultipleResourcesFound, OperationOutcome, ResourceNotFound

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import examples  # noqa: E402

DEMO_OID = "1.2.250.1.213.1.4.11"
FHIR_JSON = "application/fhir+json"


def say(message):
    print(f"fhir-clients: {message}", flush=True)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def ins_with_key(number):
    """A 15-character INS: the 13 characters and their key (97 - n mod 97, Corsica's 2A/2B read as 19/18)."""
    digits = number.replace("2A", "19").replace("2B", "18")
    return f"{number}{97 - int(digits) % 97:02d}"


def create_database(maintenance_url):
    """A fresh database on the cluster `maintenance_url` names (psql from Debian's postgresql)."""
    name = f"carnet_clients_{os.getpid()}_{random.randint(0, 10**6)}"
    candidates = [shutil.which("psql")] + sorted((f"/usr/lib/postgresql/{v}/bin/psql" for v in os.listdir("/usr/lib/postgresql"))
                                                 if os.path.isdir("/usr/lib/postgresql") else [], reverse=True)
    psql = next((path for path in candidates if path and os.access(path, os.X_OK)), None)
    if psql is None:
        raise SystemExit("fhir-clients: psql is needed to create the PostgreSQL database")
    parts = urllib.parse.urlsplit(maintenance_url)
    environment = dict(os.environ, PGPASSWORD=urllib.parse.unquote(parts.password or ""))
    without_password = parts._replace(netloc=f"{parts.username}@{parts.hostname}:{parts.port}").geturl()
    subprocess.run([psql, without_password, "-q", "-c", f"CREATE DATABASE {name}"], check=True, env=environment)
    return parts._replace(path=f"/{name}").geturl()


class Carnet:
    """`carnet serve --demo` on a free loopback port, with its own data directory (and database)."""

    def __init__(self, binary, database_url):
        self.binary = binary
        self.work = tempfile.mkdtemp(prefix="carnet-clients-")
        self.data = os.path.join(self.work, "data")
        self.storage = ["--data", self.data] + (["--database", database_url] if database_url else [])
        self.log_path = os.path.join(self.work, "server.log")
        self.log = open(self.log_path, "wb")
        port = free_port()
        self.base = f"http://127.0.0.1:{port}"
        self.fhir = f"{self.base}/fhir"
        self.process = subprocess.Popen([binary, "serve", "--demo", "--port", str(port), "--requests-per-minute", "0"] + self.storage,
                                        stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 120
        while True:
            try:
                if requests.get(self.base + "/health/ready", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise SystemExit(f"fhir-clients: the server did not start; see {self.log_path}")
            time.sleep(0.2)

    def token(self, *arguments):
        # Tokens are signed with the data directory's key, whichever database the server uses.
        return subprocess.run([self.binary, "token", "--data", self.data] + list(arguments), capture_output=True, text=True, check=True).stdout.strip()

    def stop(self):
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


CARNET = None  # set by main()
DEMO_INS = ins_with_key("2850775056123")  # the first demo patient (Sources/CarnetServer/Demo/DemoData.swift)


def contains(sent, got, path="$"):
    """Whether everything `sent` holds is in `got` unchanged (the server may add elements, and appends
    its recorded-by extension); returns the first difference's path, or None."""
    if isinstance(sent, dict):
        if not isinstance(got, dict):
            return path
        for key, value in sent.items():
            if key not in got:
                return f"{path}.{key} (missing)"
            if key == "extension":
                for index, extension in enumerate(value):
                    if extension not in got[key]:
                        return f"{path}.extension[{index}]"
                continue
            difference = contains(value, got[key], f"{path}.{key}")
            if difference:
                return difference
        return None
    if isinstance(sent, list):
        if not isinstance(got, list) or len(sent) != len(got):
            return f"{path} (length)"
        for index, (a, b) in enumerate(zip(sent, got)):
            difference = contains(a, b, f"{path}[{index}]")
            if difference:
                return difference
        return None
    if isinstance(sent, float) or isinstance(got, float):
        return None if float(sent) == float(got) else path
    return None if sent == got else f"{path} ({sent!r} became {got!r})"


def strict(json_resource):
    """The resource parsed by fhirclient's R4 models in strict mode (raises on anything R4 does not allow)."""
    return fhirelementfactory.FHIRElementFactory.instantiate(json_resource["resourceType"], json_resource)


class ClientSuite(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        server = CARNET
        cls.server = server
        cls.physician_token = server.token("professional", "--rpps", "99700000011", "--profession", "10")
        cls.patient_id, cls.ins, cls.patient_token = cls.new_record()
        cls.demo_holder_token = server.token("patient", "--ins", DEMO_INS, "--system", DEMO_OID)
        cls.physician = SyncFHIRClient(server.fhir, authorization=f"Bearer {cls.physician_token}")
        cls.smart = fhirclient_server.FHIRServer(None, base_uri=server.fhir)
        cls.smart.session.headers["Authorization"] = f"Bearer {cls.physician_token}"

    @classmethod
    def new_record(cls):
        """A fresh record, created by the physician (which authorises them): its id, INS and holder's token."""
        ins = ins_with_key(f"29505{random.randint(10**7, 10**8 - 1)}")
        created = requests.post(f"{cls.server.fhir}/Patient", headers=cls.headers(cls.physician_token), json={
            "resourceType": "Patient", "identifier": [{"system": f"urn:oid:{DEMO_OID}", "value": ins}],
            "name": [{"use": "official", "family": "CLIENT", "given": ["Suite"]}], "gender": "female", "birthDate": "1995-05-01"})
        assert created.status_code == 201, created.text
        return created.json()["id"], ins, cls.server.token("patient", "--ins", ins, "--system", DEMO_OID)

    @staticmethod
    def headers(token, **more):
        return {"Authorization": f"Bearer {token}", "Content-Type": FHIR_JSON, "Accept": FHIR_JSON, **more}

    def client(self, token, **headers):
        """A fhirpy client sending these headers too (If-None-Exist, If-Match, Prefer…)."""
        return SyncFHIRClient(self.server.fhir, authorization=f"Bearer {token}", extra_headers=headers)

    def push_document(self, unique=None, text="Compte rendu synthétique."):
        unique = unique or f"urn:oid:1.2.250.1.999.9.{random.randint(1, 10**9)}"
        document = self.physician.resource("DocumentReference", **{
            "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": unique},
            "status": "current",
            "docStatus": "final",
            "language": "fr-FR",
            "text": {"status": "generated", "div": '<div xmlns="http://www.w3.org/1999/xhtml">Compte rendu (synthétique)</div>'},
            "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4", "display": "Consult note"}], "text": "Compte rendu"},
            "category": [{"coding": [{"system": "http://loinc.org", "code": "11488-4"}]}, {"text": "Consultation"}],
            "context": {"encounter": [{"identifier": {"system": "urn:oid:1.2.250.1.999.8", "value": "VISIT-1"}}],
                        "period": {"start": "2026-01-01", "end": "2026-01-02"},
                        "event": [{"coding": [{"system": "http://snomed.info/sct", "code": "71388002"}], "text": "Procédure"}]},
            "subject": {"reference": f"Patient/{self.patient_id}"},
            "author": [{"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}, "display": "Dr Alice Lemoine"}],
            "extension": [{"url": "https://example.org/fhir/StructureDefinition/ordering-practitioner",
                           "valueReference": {"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"},
                                              "display": "Dr Alice Lemoine"}}],
            "content": [{"attachment": {"contentType": "text/plain; charset=utf-8", "language": "fr-FR", "title": "Consultation",
                                        "data": base64.b64encode(text.encode()).decode()}}],
        })
        return document, unique

    # MARK: - CapabilityStatement

    def test_capability_statement_parses_strictly(self):
        statement = self.smart.capabilityStatement  # fhirclient fetches /metadata and parses it strictly
        self.assertIsInstance(statement, fc_capability.CapabilityStatement)
        raw = requests.get(f"{self.server.fhir}/metadata").json()
        fc_capability.CapabilityStatement(raw, strict=True)
        self.assertEqual(statement.fhirVersion, "4.0.1")
        self.assertEqual(set(statement.format), {"application/fhir+json", "json"})
        self.assertIn("application/json-patch+json", statement.patchFormat or [])
        rest = statement.rest[0]
        self.assertEqual([i.code for i in rest.interaction], ["transaction"])
        types = {resource.type: resource for resource in rest.resource}
        for name in ["Patient", "DocumentReference", "List", "AllergyIntolerance", "Condition", "MedicationStatement", "Immunization",
                     "Observation", "RelatedPerson", "Consent", "AuditEvent", "ExplanationOfBenefit", "Binary"]:
            self.assertIn(name, types)
        self.assertTrue(types["AllergyIntolerance"].conditionalCreate)
        self.assertTrue(types["DocumentReference"].conditionalCreate)
        self.assertFalse(types["Patient"].conditionalCreate or False)
        self.assertEqual(types["AllergyIntolerance"].conditionalUpdate, False)
        self.assertEqual(types["AllergyIntolerance"].conditionalDelete, "not-supported")
        self.assertEqual(types["AllergyIntolerance"].conditionalRead, "not-supported")
        self.assertEqual(types["AllergyIntolerance"].versioning, "versioned-update")
        self.assertTrue(types["AllergyIntolerance"].readHistory)
        self.assertFalse(types["AllergyIntolerance"].updateCreate)

    def test_every_declared_search_parameter_is_accepted_and_no_other(self):
        statement = requests.get(f"{self.server.fhir}/metadata").json()
        document, _ = self.push_document()
        document.save()
        record = f"urn:oid:{DEMO_OID}|{self.ins}"
        values = {"patient": self.patient_id, "subject": self.patient_id, "entity": self.patient_id, "date": "ge2000-01-01",
                  "period": "ge2000-01-01", "service-date": "ge2000-01-01", "created": "ge2000-01-01", "_count": "5", "_offset": "0",
                  "_sort": "-date", "_summary": "count", "_total": "accurate", "active": "true", "_id": document.id, "status": "current",
                  "patient.identifier": record, "subject.identifier": record, "identifier": record, "scope": "adr", "category": "acd",
                  "new-since-last-access": "true", "_content": "compte rendu", "_text": "compte"}
        for resource in statement["rest"][0]["resource"]:
            kind = resource["type"]
            declared = [parameter["name"] for parameter in resource.get("searchParam", [])]
            interactions = {i["code"] for i in resource["interaction"]}
            if "search-type" not in interactions:
                self.assertEqual(declared, [], kind)
                answer = requests.get(f"{self.server.fhir}/{kind}?patient={self.patient_id}", headers=self.headers(self.patient_token))
                self.assertIn(answer.status_code, [404, 405], f"{kind}: search answered though not declared")
                continue
            scope = {"_id": self.patient_id} if kind == "Patient" else {"patient": self.patient_id}
            if kind == "List":
                scope["code"] = "submissionset"
            for name in declared:
                value = values.get(name, "x")
                if name == "code":
                    value = "submissionset" if kind == "List" else "x"
                standalone = name in ["patient", "subject", "entity", "patient.identifier", "subject.identifier"] \
                    or (name == "_id" and kind in ["Patient", "DocumentReference"]) or (kind == "Patient" and name == "identifier")
                query = {name: value} if standalone else {**scope, name: value}
                if kind == "List":
                    query.setdefault("code", "submissionset")
                # The holder reads every kind: a refusal here can only be the parameter's.
                answer = requests.get(f"{self.server.fhir}/{kind}", params=query, headers=self.headers(self.patient_token))
                self.assertEqual(answer.status_code, 200, f"{kind}?{name} is declared but refused: {answer.text}")
                strict(answer.json())
            undeclared = requests.get(f"{self.server.fhir}/{kind}", params={**scope, "not-a-parameter": "x"}, headers=self.headers(self.patient_token))
            self.assertEqual(undeclared.status_code, 400, f"{kind}: an undeclared parameter was accepted")
            self.assertEqual(undeclared.json()["issue"][0]["expression"], ["not-a-parameter"])

    def test_declared_interactions_are_served_and_no_others(self):
        statement = requests.get(f"{self.server.fhir}/metadata").json()
        routes = {(method.upper(), path) for path, operations in requests.get(f"{self.server.base}/openapi.json").json()["paths"].items()
                  for method in operations}
        needs = {"read": ("GET", "/fhir/{T}/{id}"), "vread": ("GET", "/fhir/{T}/{id}/_history/{version}"),
                 "history-instance": ("GET", "/fhir/{T}/{id}/_history"), "search-type": ("GET", "/fhir/{T}"),
                 "create": ("POST", "/fhir/{T}"), "update": ("PUT", "/fhir/{T}/{id}"), "patch": ("PATCH", "/fhir/{T}/{id}"),
                 "delete": ("DELETE", "/fhir/{T}/{id}"), "history-type": ("GET", "/fhir/{T}/_history")}

        def served(kind, interaction):
            method, template = needs[interaction]
            path = template.replace("{T}", kind)
            return any(m == method and re.sub(r"\{[^}]+\}", "{}", p) == re.sub(r"\{[^}]+\}", "{}", path) for m, p in routes)

        for resource in statement["rest"][0]["resource"]:
            declared = {i["code"] for i in resource["interaction"]}
            for interaction in needs:
                self.assertEqual(interaction in declared, served(resource["type"], interaction),
                                 f"{resource['type']} {interaction}: declared {interaction in declared}, served {served(resource['type'], interaction)}")

    # MARK: - Reads and searches with fhirclient's models

    def test_fhirclient_reads_and_searches(self):
        patient = fc_patient.Patient.read(self.patient_id, self.smart)
        self.assertEqual(patient.identifier[0].value, self.ins)
        for index in range(3):
            document, _ = self.push_document(text=f"Compte rendu synthétique {index}.")
            document.save()
        search = fc_documentreference.DocumentReference.where(struct={"patient": self.patient_id, "_count": "2"})
        bundle = search.perform(self.smart)
        self.assertEqual(bundle.type, "searchset")
        self.assertGreaterEqual(bundle.total, 3)
        documents = search.perform_resources(self.smart)  # follows next links
        self.assertEqual(len(documents), bundle.total)
        read = fc_documentreference.DocumentReference.read(documents[0].id, self.smart)
        self.assertEqual(read.subject.reference.split("/")[-1], self.patient_id)
        found = fc_patient.Patient.where(struct={"identifier": f"urn:oid:{DEMO_OID}|{self.ins}"}).perform_resources(self.smart)
        self.assertEqual([p.id for p in found], [self.patient_id])

    def test_every_answer_parses_strictly(self):
        document, _ = self.push_document()
        document.save()
        paths = [f"Patient/{self.patient_id}", f"DocumentReference/{document.id}", f"DocumentReference/{document.id}/_history",
                 f"DocumentReference?patient={self.patient_id}", f"List?patient={self.patient_id}&code=submissionset",
                 f"Patient/{self.patient_id}/$summary", f"Patient/{self.patient_id}/$everything", f"ExplanationOfBenefit?patient={self.patient_id}",
                 f"DocumentReference?patient={self.patient_id}&_summary=count", f"DocumentReference?patient={self.patient_id}&nope=1"]
        for path in paths:
            answer = requests.get(f"{self.server.fhir}/{path}", headers=self.headers(self.physician_token, Prefer="handling=lenient"))
            self.assertEqual(answer.status_code, 200, f"{path}: {answer.text}")
            strict(answer.json())
        for path in [f"AuditEvent?patient={self.patient_id}", f"Consent?patient={self.patient_id}"]:
            answer = requests.get(f"{self.server.fhir}/{path}", headers=self.headers(self.patient_token))
            self.assertEqual(answer.status_code, 200, f"{path}: {answer.text}")
            strict(answer.json())
        for path in ["Condition?patient=nope", "DocumentReference/does-not-exist", "Observation?patient=" + self.patient_id + "&foo=1"]:
            answer = requests.get(f"{self.server.fhir}/{path}", headers=self.headers(self.physician_token))
            self.assertGreaterEqual(answer.status_code, 400)
            self.assertEqual(strict(answer.json()).resource_type, "OperationOutcome")

    # MARK: - Writes with fhirpy

    def test_fhirpy_document_create_read_search_conditional_create_and_patch(self):
        document, unique = self.push_document()
        sent = json.loads(json.dumps(document.serialize()))
        del sent["content"][0]["attachment"]["data"]
        document.save()
        self.assertTrue(document.id)
        self.assertEqual(document["meta"]["versionId"], "1")
        read = self.physician.reference("DocumentReference", document.id).to_resource()
        self.assertEqual(read["masterIdentifier"]["value"], unique)
        self.assertEqual(read["extension"], document["extension"])  # an extension's valueReference is kept
        self.assertIsNone(contains(sent, read.serialize()), "a pushed DocumentReference reads back as sent")
        strict(read.serialize())
        self.assertIs(read.refresh(), read)  # fhirpy's refresh sends If-None-Match; a read answers the resource
        found = self.physician.resources("DocumentReference").search(patient=self.patient_id, _id=document.id).fetch()
        self.assertEqual([d.id for d in found], [document.id])
        # Conditional create: the same document again with If-None-Exist answers the existing one, creates nothing.
        again, _ = self.push_document(unique=unique)
        conditional = self.client(self.physician_token, **{"If-None-Exist": f"identifier=urn:ietf:rfc:3986|{unique}"})
        answered, status = conditional._do_request("post", "DocumentReference", data=again.serialize(), returning_status=True)
        self.assertEqual((status, answered["id"]), (200, document.id))
        # If-Match on PATCH: a stale version is refused, the current one applies (JSON Patch, PDSm's archive flag).
        archive = [{"op": "add", "path": "/extension", "value": [{
            "url": "https://interop.esante.gouv.fr/ig/fhir/pdsm/StructureDefinition/pdsm-ext-is-archived", "valueBoolean": True}]}]
        json_patch = {"Content-Type": "application/json-patch+json"}
        with self.assertRaises(MultipleResourcesFound):  # fhirpy's name for any 412
            self.physician._do_request("patch", f"DocumentReference/{document.id}", data=archive, extra_headers={**json_patch, "If-Match": 'W/"7"'})
        patched = self.physician._do_request("patch", f"DocumentReference/{document.id}", data=archive, extra_headers={**json_patch, "If-Match": 'W/"1"'})
        self.assertEqual(patched["meta"]["versionId"], "2")
        # fhirpy's own patch sends a partial resource (application/json): refused with an OperationOutcome, never applied half.
        with self.assertRaises(OperationOutcome):
            self.physician.reference("DocumentReference", document.id).patch(description="nope")
        history = self.physician._do_request("get", f"DocumentReference/{document.id}/_history")
        self.assertEqual([entry["resource"]["meta"]["versionId"] for entry in history["entry"]], ["2", "1"])

    def test_summary_round_trip_of_hl7_shaped_examples(self):
        patient_id, _, patient_token = self.new_record()  # its own record: the conditional creates below count what it holds
        holder = SyncFHIRClient(self.server.fhir, authorization=f"Bearer {patient_token}")
        for example in examples.ALL:
            recorder, sent = example(patient_id)
            kind = sent["resourceType"]
            with self.subTest(kind=kind, example=example.__name__):
                token = self.physician_token if recorder == "professional" else patient_token
                client = self.physician if recorder == "professional" else holder
                # R4: a create ignores the id in the body; fhirpy would PUT a resource with an id, so POST it as sent.
                created = client.execute(kind, method="post", data=copy.deepcopy(sent))
                self.assertNotEqual(created["id"], sent.get("id"))
                strict(created)
                self.assertIsNone(contains({k: v for k, v in sent.items() if k != "id"}, created), f"{kind}: {contains(sent, created)}")
                read = client.reference(kind, created["id"]).to_resource()
                strict(read.serialize())
                self.assertIsNone(contains({k: v for k, v in sent.items() if k != "id"}, read.serialize()))
                self.assertEqual(read["meta"]["versionId"], "1")
                # Found by patient with the clients' searches, and by fhirclient's models.
                found = client.resources(kind).search(patient=patient_id).fetch_all()
                self.assertIn(created["id"], [r.id for r in found])
                # Update (fhirpy's save of a resource with an id is a PUT), If-Match as the client read it.
                read["note"] = [{"text": "Mis à jour par le client (synthétique)."}] if kind not in ["RelatedPerson", "Consent", "Observation"] else None
                if kind == "Observation":
                    read["note"] = [{"text": "Contrôlé (synthétique)."}]
                if kind in ["RelatedPerson", "Consent"]:
                    del read["note"]
                    read["text"] = examples.narrative("Mis à jour (synthétique)")
                updater = self.client(token, **{"If-Match": 'W/"1"'}).resource(kind, **read.serialize())
                updater.save()
                self.assertEqual(updater["meta"]["versionId"], "2")
                kept = {k: v for k, v in sent.items() if k not in ("id", "note", "text")}
                self.assertIsNone(contains(kept, client.reference(kind, created["id"]).to_resource().serialize()), f"{kind} after update")
                stale = self.client(token, **{"If-Match": 'W/"1"'}).resource(kind, **read.serialize())
                with self.assertRaises(MultipleResourcesFound):
                    stale.save()
                version_one = client._do_request("get", f"{kind}/{created['id']}/_history/1")
                self.assertIsNone(contains({k: v for k, v in sent.items() if k != "id"}, version_one))
                history = client._do_request("get", f"{kind}/{created['id']}/_history")
                self.assertEqual(len(history["entry"]), 2)
                strict(history)
                # Conditional create by a search of the type: the item exists, nothing is created.
                criteria = self.criteria(sent)
                before = len(client.resources(kind).search(patient=patient_id).fetch_all())
                answered, status = self.client(token, **{"If-None-Exist": criteria})._do_request("post", kind, data=copy.deepcopy(sent),
                                                                                                  returning_status=True)
                self.assertEqual((status, answered["id"]), (200, created["id"]), f"{kind} If-None-Exist {criteria}")
                self.assertEqual(len(client.resources(kind).search(patient=patient_id).fetch_all()), before)
                # Delete; then the read is gone (410).
                client.reference(kind, created["id"]).delete()
                with self.assertRaises(ResourceNotFound):
                    client.reference(kind, created["id"]).to_resource()

    @staticmethod
    def criteria(sent):
        """If-None-Exist criteria that select this example among the record's items: its main code."""
        kind = sent["resourceType"]
        if kind == "Consent":
            return "category=" + sent["category"][0]["coding"][0]["code"]
        if kind == "MedicationStatement":
            return "status=" + sent["status"]
        element, parameter = {"AllergyIntolerance": ("code", "code"), "Condition": ("code", "code"), "Observation": ("code", "code"),
                              "Immunization": ("vaccineCode", "vaccine-code")}.get(kind, (None, None))
        if kind == "RelatedPerson":
            coding = sent["relationship"][0]["coding"][0]
            return f"relationship={coding['code']}"
        coding = sent[element]["coding"][0]
        return f"{parameter}={coding['system']}|{coding['code']}"

    def test_fhirpy_search_controls(self):
        for _ in range(2):
            document, _ = self.push_document()
            document.save()
        search = self.physician.resources("DocumentReference").search(patient=self.patient_id)
        total = search.search(_summary="count").fetch_raw()
        self.assertNotIn("entry", total)
        self.assertGreaterEqual(total["total"], 2)
        self.assertEqual(search.search(_total="accurate").fetch_raw()["total"], total["total"])
        self.assertEqual(len(search.limit(1).fetch_all()), total["total"])  # paging through next links
        self.assertEqual(len(search.limit(1).fetch()), 1)
        # POST [type]/_search, form-encoded: the same search.
        posted = requests.post(f"{self.server.fhir}/DocumentReference/_search", data={"patient": self.patient_id, "_summary": "count"},
                               headers={"Authorization": f"Bearer {self.physician_token}", "Accept": FHIR_JSON})
        self.assertEqual(posted.json()["total"], total["total"])
        # Unknown parameters: refused by default, dropped and said with Prefer: handling=lenient.
        with self.assertRaises(OperationOutcome):
            search.search(colour="blue").fetch()
        lenient = self.client(self.physician_token, Prefer="handling=lenient").resources("DocumentReference").search(patient=self.patient_id, colour="blue")
        bundle = lenient.fetch_raw()
        self.assertIn("OperationOutcome", [entry["resource"]["resourceType"] for entry in bundle["entry"]])
        # _count=0: the total alone and no next link, so following links ends (it never did before).
        self.assertEqual(search.limit(0).fetch_all(), [])
        # fhirpy's first() and get() send _count on every type, the summary's included.
        _, condition = examples.condition(self.patient_id)
        made = self.physician.execute("Condition", method="post", data=condition)
        conditions = self.physician.resources("Condition").search(patient=self.patient_id)
        self.assertIsNotNone(conditions.first())
        self.assertEqual(conditions.search(_id=made["id"]).get().id, made["id"])
        self.assertEqual(len(conditions.limit(1).fetch_all()), conditions.search(_summary="count").fetch_raw()["total"])
        dates = [c.get("onsetDateTime") or c.get("recordedDate") for c in conditions.sort("-date").fetch_all()]
        self.assertEqual(dates, sorted(dates, reverse=True))  # fhirpy's sort() sends _sort
        # Patient: _count accepted, several _id.
        self.assertEqual([p.id for p in self.physician.resources("Patient").search(_id=f"{self.patient_id},nothing-here", _count=10).fetch()],
                         [self.patient_id])

    def test_fhirpy_get_or_create_and_count(self):
        _, condition = examples.condition(self.patient_id)
        condition.pop("id")
        search = self.physician.resources("Condition").search(patient=self.patient_id, code="http://snomed.info/sct|73211009")
        condition["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "73211009", "display": "Diabetes mellitus"}]}
        # fhirpy puts the criteria in the create's URL (POST Condition?…): refused, never a silent duplicate.
        with self.assertRaises(OperationOutcome) as refused:
            search.get_or_create(self.physician.resource("Condition", **condition))
        self.assertIn("If-None-Exist", str(refused.exception))
        self.assertEqual(search.fetch_all(), [])
        # fhirpy's count() asks for _count=0 and Aidbox's _totalMethod: refused by default, answered when lenient.
        with self.assertRaises(OperationOutcome):
            search.count()
        self.physician.resource("Condition", **condition).save()
        lenient = self.client(self.physician_token, Prefer="handling=lenient")
        self.assertEqual(lenient.resources("Condition").search(patient=self.patient_id, code="http://snomed.info/sct|73211009").count(), 1)

    def test_fhirclient_writes(self):
        _, sent = examples.condition(self.patient_id)
        sent.pop("id")
        sent["code"] = {"coding": [{"system": "http://snomed.info/sct", "code": "38341003", "display": "Hypertension"}]}
        model = fc_condition.Condition(sent, strict=True)
        created = model.create(self.smart)
        self.assertEqual(created["resourceType"], "Condition")
        read = fc_condition.Condition.read(created["id"], self.smart)
        self.assertEqual(read.code.coding[0].code, "38341003")
        read.note = [fc_annotation.Annotation({"text": "Suivi (synthétique)."})]
        updated = read.update(self.smart)
        self.assertEqual(updated["meta"]["versionId"], "2")
        self.assertEqual(fc_condition.Condition.read(created["id"], self.smart).note[0].text, "Suivi (synthétique).")
        read.delete(self.smart)
        with self.assertRaises(Exception):
            fc_condition.Condition.read(created["id"], self.smart)
        # Reads of the other kinds fhirclient's models know: a document's content as a Binary, a claim.
        document, _ = self.push_document(text="Contenu synthétique.")
        document.save()
        binary = fc_binary.Binary.read(document.id, self.smart)
        self.assertEqual(base64.b64decode(binary.data).decode(), "Contenu synthétique.")
        demo_patient = requests.get(f"{self.server.fhir}/Patient", params={"identifier": f"urn:oid:{DEMO_OID}|{DEMO_INS}"},
                                    headers=self.headers(self.demo_holder_token)).json()["entry"][0]["resource"]["id"]
        holder = fhirclient_server.FHIRServer(None, base_uri=self.server.fhir)
        holder.session.headers["Authorization"] = f"Bearer {self.demo_holder_token}"
        claims = fc_eob.ExplanationOfBenefit.where(struct={"patient": demo_patient}).perform_resources(holder)
        self.assertGreater(len(claims), 0)
        self.assertEqual(fc_eob.ExplanationOfBenefit.read(claims[0].id, holder).id, claims[0].id)

    def test_prefer_return(self):
        _, sent = examples.condition(self.patient_id)
        minimal = self.client(self.physician_token, Prefer="return=minimal")
        answer = requests.post(f"{self.server.fhir}/Condition", json=sent, headers=self.headers(self.physician_token, Prefer="return=minimal"))
        self.assertEqual((answer.status_code, answer.content), (201, b""))
        self.assertRegex(answer.headers["Location"], r"/fhir/Condition/[^/]+/_history/1$")
        self.assertIsNone(minimal.execute("Condition", method="post", data=sent))  # fhirpy: no body
        outcome = self.client(self.physician_token, Prefer="return=OperationOutcome").execute("Condition", method="post", data=sent)
        self.assertEqual(strict(outcome).resource_type, "OperationOutcome")
        representation = self.client(self.physician_token, Prefer="return=representation").execute("Condition", method="post", data=sent)
        self.assertEqual(representation["resourceType"], "Condition")

    def test_rest_headers_and_refusals(self):
        document, _ = self.push_document()
        created = requests.post(f"{self.server.fhir}/DocumentReference", json=document.serialize(), headers=self.headers(self.physician_token))
        self.assertEqual(created.status_code, 201, created.text)
        self.assertRegex(created.headers["Location"], r"/fhir/DocumentReference/[^/]+/_history/1$")
        read = requests.get(created.headers["Location"].rsplit("/_history", 1)[0], headers=self.headers(self.physician_token))
        self.assertEqual(read.headers["ETag"], 'W/"1"')
        self.assertRegex(read.headers["Last-Modified"], r"^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} GMT$")
        patient = requests.get(f"{self.server.fhir}/Patient/{self.patient_id}", headers=self.headers(self.physician_token))
        self.assertIn("ETag", patient.headers)
        wrong_method = requests.put(f"{self.server.fhir}/DocumentReference/{created.json()['id']}", json=document.serialize(),
                                    headers=self.headers(self.physician_token))
        self.assertEqual(wrong_method.status_code, 405)
        self.assertIn("PATCH", wrong_method.headers["Allow"])
        for headers, query in [({"Accept": "application/fhir+xml"}, ""), ({}, "?_format=xml"),
                               ({"Accept": "application/fhir+json; fhirVersion=3.0"}, "")]:
            refused = requests.get(f"{self.server.fhir}/Patient/{self.patient_id}{query}",
                                   headers={"Authorization": f"Bearer {self.physician_token}", **headers})
            self.assertEqual(refused.status_code, 406, headers or query)
            self.assertEqual(refused.json()["resourceType"], "OperationOutcome")
        # PUT without the URL's id in the body: 400.
        _, condition = examples.condition(self.patient_id)
        made = self.physician.execute("Condition", method="post", data=condition)
        without_id = requests.put(f"{self.server.fhir}/Condition/{made['id']}", json={k: v for k, v in condition.items() if k != "id"},
                                  headers=self.headers(self.physician_token))
        self.assertEqual(without_id.status_code, 400)

    def test_transaction_relates_to_a_document_of_the_same_bundle(self):
        bundle = self.iti65_bundle(relation_target=lambda first_url: first_url)
        answer = self.physician.execute("", method="post", data=bundle)
        self.assertEqual(answer["type"], "transaction-response")
        locations = [entry["response"]["location"] for entry in answer["entry"]]
        documents = [location for location in locations if "/DocumentReference/" in location]
        self.assertEqual(len(documents), 2, locations)
        second = self.physician._do_request("get", documents[1].split("/fhir/", 1)[1].split("/_history")[0])
        first_id = documents[0].split("/DocumentReference/")[1].split("/")[0]
        self.assertEqual(second["relatesTo"][0]["target"]["reference"].split("/")[-1], first_id)
        self.assertEqual(second["relatesTo"][0]["code"], "appends")
        # A urn:uuid naming nothing in the bundle is refused, naming it.
        dangling = f"urn:uuid:{uuid.uuid4()}"
        refused = requests.post(f"{self.server.fhir}", json=self.iti65_bundle(relation_target=lambda _: dangling),
                                headers=self.headers(self.physician_token))
        self.assertGreaterEqual(refused.status_code, 400)
        self.assertLess(refused.status_code, 500)
        self.assertIn(dangling, json.dumps(refused.json()))

    def iti65_bundle(self, relation_target):
        urls = {name: f"urn:uuid:{uuid.uuid4()}" for name in ["list", "doc1", "doc2", "bin1", "bin2"]}
        subject = {"reference": f"Patient/{self.patient_id}"}
        author = [{"identifier": {"system": "urn:oid:1.2.250.1.71.4.2.1", "value": "899700000011"}, "display": "Dr Alice Lemoine"}]

        def document(url, binary, title, relates):
            resource = {"resourceType": "DocumentReference",
                        "masterIdentifier": {"system": "urn:ietf:rfc:3986", "value": f"urn:oid:1.2.250.1.999.8.{random.randint(1, 10**9)}"},
                        "status": "current", "type": {"coding": [{"system": "http://loinc.org", "code": "11488-4"}]},
                        "subject": subject, "author": author, "date": "2026-01-02T10:00:00+01:00",
                        "content": [{"attachment": {"contentType": "text/plain", "url": binary, "title": title}}]}
            if relates:
                resource["relatesTo"] = [{"code": "appends", "target": {"reference": relates}}]
            return {"fullUrl": url, "resource": resource, "request": {"method": "POST", "url": "DocumentReference"}}

        def binary(url, text):
            return {"fullUrl": url, "resource": {"resourceType": "Binary", "contentType": "text/plain",
                                                 "data": base64.b64encode(text.encode()).decode()},
                    "request": {"method": "POST", "url": "Binary"}}

        submission = {"fullUrl": urls["list"], "resource": {
            "resourceType": "List", "status": "current", "mode": "working",
            "identifier": [{"use": "usual", "system": "urn:ietf:rfc:3986", "value": f"urn:oid:1.2.250.1.999.7.{random.randint(1, 10**9)}"}],
            "code": {"coding": [{"system": "https://profiles.ihe.net/ITI/MHD/CodeSystem/MHDlistTypes", "code": "submissionset"}]},
            "subject": subject, "date": "2026-01-02T10:00:00+01:00",
            "extension": [{"url": "https://profiles.ihe.net/ITI/MHD/StructureDefinition/ihe-sourceId", "valueIdentifier": {"value": "urn:oid:1.2.250.1.999"}}],
            "entry": [{"item": {"reference": urls["doc1"]}}, {"item": {"reference": urls["doc2"]}}]},
            "request": {"method": "POST", "url": "List"}}
        return {"resourceType": "Bundle", "type": "transaction", "entry": [
            submission,
            document(urls["doc1"], urls["bin1"], "Compte rendu", None),
            document(urls["doc2"], urls["bin2"], "Addendum", relation_target(urls["doc1"])),
            binary(urls["bin1"], "Compte rendu synthétique."),
            binary(urls["bin2"], "Addendum synthétique."),
        ]}


def main():
    global CARNET
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("binary")
    parser.add_argument("--database-url")
    parser.add_argument("tests", nargs="*", help="unittest names to run (all by default)")
    arguments = parser.parse_args()
    database_url = create_database(arguments.database_url) if arguments.database_url else None
    engine = "PostgreSQL" if database_url else "SQLite"
    CARNET = Carnet(os.path.abspath(arguments.binary), database_url)
    try:
        say(f"fhirclient and fhirpy against carnet serve on {engine} ({CARNET.base})")
        loader = unittest.TestLoader()
        suite = loader.loadTestsFromNames([f"ClientSuite.{name}" for name in arguments.tests], sys.modules[__name__]) if arguments.tests \
            else loader.loadTestsFromTestCase(ClientSuite)
        result = unittest.TextTestRunner(verbosity=2).run(suite)
        alive = CARNET.process.poll() is None
    finally:
        CARNET.stop()
    if not alive:
        raise SystemExit(f"fhir-clients: the server died during the run; see {CARNET.log_path}")
    if not result.wasSuccessful():
        raise SystemExit(f"fhir-clients: failures on {engine} (above); server log in {CARNET.log_path}")
    checked = subprocess.run([sys.executable, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "check-test-logs"),
                              CARNET.log_path])
    if checked.returncode != 0:
        raise SystemExit("fhir-clients: the server's log holds health data or credentials")
    say(f"OK on {engine}")
    shutil.rmtree(CARNET.work, ignore_errors=True)


if __name__ == "__main__":
    main()
