"""Validates FHIR R4 resources against the fhir.resources models, independently of Carnet's own code.

Reads one JSON resource per line on stdin and answers one line per resource on stdout:
"ok", or "invalid: <what is wrong>". Used by the Swift test suite on every FHIR response body.
"""
import json
import sys

from fhir.resources import construct_fhir_element
from pydantic import ValidationError


def json_rule_violation(value, path: str = ""):
    """FHIR's JSON rules the models let through: no empty arrays, objects or strings, no nulls."""
    if value is None:
        return f"{path or 'resource'}: null is not allowed in FHIR JSON"
    if isinstance(value, (list, dict, str)) and len(value) == 0:
        return f"{path or 'resource'}: empty values are not allowed in FHIR JSON"
    if isinstance(value, list):
        for index, item in enumerate(value):
            found = json_rule_violation(item, f"{path}.{index}")
            if found:
                return found
    if isinstance(value, dict):
        for key, item in value.items():
            found = json_rule_violation(item, f"{path}.{key}" if path else key)
            if found:
                return found
    return None


def check(line: str) -> str:
    try:
        data = json.loads(line)
    except json.JSONDecodeError as error:
        return f"invalid: not JSON ({error})"
    resource_type = data.get("resourceType") if isinstance(data, dict) else None
    if not resource_type:
        return "invalid: no resourceType"
    violation = json_rule_violation(data)
    if violation:
        return "invalid: " + violation
    try:
        construct_fhir_element(resource_type, data)
        # Bundle.entry.resource is typed loosely by the models: check each contained resource on its own.
        for index, entry in enumerate(data.get("entry") or []):
            resource = entry.get("resource") if isinstance(entry, dict) else None
            if isinstance(resource, dict):
                verdict = check(json.dumps(resource))
                if verdict != "ok":
                    return verdict.replace("invalid: ", f"invalid: entry.{index}.resource: ", 1)
    except ValidationError as error:
        return "invalid: " + " / ".join(
            f"{'.'.join(str(part) for part in item['loc'])}: {item['msg']}" for item in error.errors()
        )
    except (KeyError, ValueError, TypeError) as error:
        return f"invalid: {error}"
    return "ok"


def main() -> None:
    for line in sys.stdin:
        if line.strip():
            print(check(line).replace("\n", " "), flush=True)


if __name__ == "__main__":
    main()
