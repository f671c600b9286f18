"""Shared helpers for the Python tests: a YAML 1.2 loader, the JSON Schema, and the Swift validator CLI."""
import json
import os
import re
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMA_PATH = ROOT / "schemas" / "ocpp809-rules.schema.json"
CORPUS = ROOT / "Tests" / "RulesTests" / "Corpus"
BIN = Path(os.environ.get("OCPP809_BIN", ROOT / ".build" / "debug" / "ocpp809"))


# --------------------------------------------------------------------------------------------- YAML 1.2

# The YAML 1.2 core schema (what the gateway reads): only true/false are booleans (yes/no/on/off stay strings),
# integers are decimal, 0o octal or 0x hex, no sexagesimal numbers, no underscores, no 1.1 octal `017`.
_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", list("tTfF")),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", list("-+0123456789")),
    ("tag:yaml.org,2002:float",
     r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
     list("-+0123456789.")),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:merge", r"^(?:<<)$", ["<"]),
]


def _install_core_resolvers(cls):
    cls.yaml_implicit_resolvers = {}
    for tag, pattern, first in _CORE_RESOLVERS:
        cls.add_implicit_resolver(tag, re.compile(pattern), first)


class YAML12Loader(yaml.SafeLoader):
    """SafeLoader with YAML 1.2 core-schema scalars. Mapping keys stay the text they were written as
    (`1.6:` is the key "1.6", as JSON and the gateway see it); `<<` merge keys work."""

    def construct_yaml12_int(self, node):
        text = self.construct_scalar(node)
        sign = -1 if text.startswith("-") else 1
        digits = text.lstrip("+-")
        if digits.startswith("0o"):
            return sign * int(digits[2:], 8)
        if digits.startswith("0x"):
            return sign * int(digits[2:], 16)
        return sign * int(digits, 10)

    def construct_mapping(self, node, deep=False):
        if not isinstance(node, yaml.MappingNode):
            raise yaml.constructor.ConstructorError(None, None, f"expected a mapping node, but found {node.id}",
                                                    node.start_mark)
        self.flatten_mapping(node)
        mapping = {}
        for key_node, value_node in node.value:
            if isinstance(key_node, yaml.ScalarNode):
                key = key_node.value
            else:
                key = json.dumps(self.construct_object(key_node, deep=True), sort_keys=True, default=str)
            mapping[key] = self.construct_object(value_node, deep=deep)
        return mapping


_install_core_resolvers(YAML12Loader)
YAML12Loader.add_constructor("tag:yaml.org,2002:int", YAML12Loader.construct_yaml12_int)


class YAML12Dumper(yaml.SafeDumper):
    """SafeDumper that quotes exactly the strings a YAML 1.2 reader would otherwise take for something else."""


_install_core_resolvers(YAML12Dumper)


def load_yaml(text):
    return yaml.load(text, Loader=YAML12Loader)


def load_yaml_file(path):
    return load_yaml(Path(path).read_text(encoding="utf-8"))


def dump_yaml(data):
    return yaml.dump(data, Dumper=YAML12Dumper, sort_keys=False, allow_unicode=True, default_flow_style=False)


# --------------------------------------------------------------------------------------------- schema

@pytest.fixture(scope="session")
def schema():
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def validator(schema):
    from jsonschema import Draft7Validator
    return Draft7Validator(schema)


def schema_errors(validator, data):
    """The schema's complaints about one loaded document, as readable strings (empty when valid)."""
    return [f"{'/'.join(map(str, e.absolute_path)) or '<root>'}: {e.message}" for e in validator.iter_errors(data)]


# --------------------------------------------------------------------------------------------- Swift validator

def swift_available():
    return BIN.exists()


def require_swift():
    if not swift_available():
        pytest.skip(f"ocpp809 binary not built at {BIN} (set OCPP809_BIN or run scripts/test.sh, which builds it first)")


def swift_validate(paths, chunk=100):
    """Runs `ocpp809 rules validate --format json` over the files and returns {resolved path: [error messages]}.
    Files are validated in a few batched invocations; every file given gets an entry."""
    require_swift()
    paths = [Path(p).resolve() for p in paths]
    result = {p: [] for p in paths}
    for start in range(0, len(paths), chunk):
        batch = paths[start:start + chunk]
        proc = subprocess.run([str(BIN), "rules", "validate", "--format", "json", *map(str, batch)],
                              capture_output=True, text=True, timeout=600)
        assert proc.returncode in (0, 1), f"ocpp809 exited {proc.returncode}:\n{proc.stderr}\n{proc.stdout[:2000]}"
        report = json.loads(proc.stdout)
        diagnostics = report["diagnostics"] if isinstance(report, dict) else report
        for diag in diagnostics:
            if diag.get("severity") != "error":
                continue
            file = Path(diag["file"])
            if not file.is_absolute():
                file = (ROOT / file)
            file = file.resolve()
            result.setdefault(file, []).append(f"{diag['line']}:{diag['column']}: {diag['message']}")
        if proc.returncode == 1:
            # exit 1 must be explained by an error somewhere in this batch
            assert any(result.get(p) for p in batch) or any(
                d.get("severity") == "error" for d in diagnostics), f"exit 1 without an error:\n{proc.stdout[:2000]}"
    return result
