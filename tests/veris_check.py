#!/usr/bin/env python3
"""veris_check.py SCHEMA FILE...: validates each VERIS incident FILE against SCHEMA (JSON Schema
draft 4, as verisc-merged.json declares).  Prints FILE: PATH: MESSAGE for each error; exit 1
if any file is invalid, 2 if the validator is missing."""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.stderr.write("veris_check: python3-jsonschema is not installed (make deps)\n")
    sys.exit(2)


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft4Validator.check_schema(schema)
    validator = jsonschema.Draft4Validator(schema)
    bad = 0
    for path in sys.argv[2:]:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
        for e in sorted(validator.iter_errors(doc), key=lambda e: list(e.path)):
            where = "/".join(str(p) for p in e.path) or "(top)"
            print(f"{path}: {where}: {e.message}")
            bad = 1
    return bad


if __name__ == "__main__":
    sys.exit(main())
