"""The JSON Schema (what editors check) and the Swift validator (what the gateway checks) agree.

The schema sees structure only, so the Swift validator is the stricter of the two: everything valid passes both,
every structurally broken corpus file fails both, and no file the Swift validator accepts is rejected by the schema.
"""
import copy
import random
import re
import string
from pathlib import Path

import pytest
from jsonschema import Draft7Validator

from conftest import CORPUS, ROOT, load_yaml_file, dump_yaml, schema_errors, swift_validate, require_swift


def rule_files(directory):
    # rule tests (*.test.yaml) live beside the rule files but are not rule files
    return sorted(p for p in Path(directory).rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file()
                  and not p.name.endswith((".test.yaml", ".test.yml"))
                  and not any(part.startswith(".") for part in p.relative_to(directory).parts))


def ident(path):
    return str(path.relative_to(ROOT))


VALID = rule_files(ROOT / "rules") + rule_files(CORPUS / "valid")
BROKEN = rule_files(CORPUS / "broken")
SCHEMA_REJECTS = [p for p in BROKEN if "\n# schema: reject\n" in p.read_text(encoding="utf-8")]
SEMANTIC_ONLY = [p for p in BROKEN if p not in SCHEMA_REJECTS]


@pytest.fixture(scope="session")
def swift_valid_report():
    return swift_validate(VALID)


@pytest.fixture(scope="session")
def swift_broken_report():
    return swift_validate(BROKEN)


# ------------------------------------------------------------------------------------------- (a) the schema

def test_schema_is_a_valid_draft7_schema(schema):
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"


def test_every_schema_property_has_a_description(schema):
    missing = []

    def walk(node, path):
        if isinstance(node, dict):
            for name, sub in node.get("properties", {}).items():
                # if/then/else refinements restate properties already described
                if "description" not in sub and not re.search(r"/(if|then|else)$", path):
                    missing.append(f"{path}/properties/{name}")
            for key, value in node.items():
                walk(value, f"{path}/{key}")
        elif isinstance(node, list):
            for i, value in enumerate(node):
                walk(value, f"{path}/{i}")

    walk(schema, "#")
    assert not missing, missing


def test_corpus_is_not_empty():
    assert len(rule_files(CORPUS / "valid")) >= 6
    assert len(SCHEMA_REJECTS) >= 15 and len(SEMANTIC_ONLY) >= 5
    assert (ROOT / "rules" / "default.yaml").exists()


def test_every_rule_file_has_the_modeline():
    for path in VALID + BROKEN:
        first = path.read_text(encoding="utf-8").splitlines()[0]
        match = re.fullmatch(r"# yaml-language-server: \$schema=(\S+)", first)
        assert match, f"{ident(path)}: first line is not the modeline"
        target = (path.parent / match.group(1)).resolve()
        assert target == (ROOT / "schemas" / "ocpp809-rules.schema.json").resolve(), f"{ident(path)}: modeline points at {target}"


# ------------------------------------------------------------------------------------------- (b) valid files

@pytest.mark.parametrize("path", VALID, ids=ident)
def test_valid_file_passes_the_schema(validator, path):
    assert schema_errors(validator, load_yaml_file(path)) == []


@pytest.mark.parametrize("path", VALID, ids=ident)
def test_valid_file_passes_the_swift_validator(swift_valid_report, path):
    assert swift_valid_report[path.resolve()] == []


# ------------------------------------------------------------------------------------------- (c) broken files

@pytest.mark.parametrize("path", SCHEMA_REJECTS, ids=ident)
def test_structurally_broken_file_fails_the_schema(validator, path):
    assert schema_errors(validator, load_yaml_file(path)), "the schema accepts it"


@pytest.mark.parametrize("path", SCHEMA_REJECTS, ids=ident)
def test_structurally_broken_file_fails_the_swift_validator(swift_broken_report, path):
    assert swift_broken_report[path.resolve()], "the Swift validator accepts it"


@pytest.mark.parametrize("path", SEMANTIC_ONLY, ids=ident)
def test_semantically_broken_file_passes_the_schema_but_not_the_swift_validator(validator, swift_broken_report, path):
    # files without '# schema: reject' hold a mistake only the validator can see; if the schema caught it,
    # the file should say '# schema: reject'
    assert schema_errors(validator, load_yaml_file(path)) == [], "the schema rejects it: mark it '# schema: reject'"
    assert swift_broken_report[path.resolve()], "the Swift validator accepts it"


# ------------------------------------------------------------------------------------------- (d) mutants

SEED = 809
MUTANTS = 300
WORDS = ["on", "yes", "null", "15 sec", "M_ME_XX_1", "120%", "often", "0.0.0.0", "kWh", "1.6", "always", "Loose",
         "DEPOT", "env:", "-", "*", "{n}", "é", "power_kw", "MeterValues"]
NUMBERS = [-1, 0, 1, 2, 3, 4, 5, 16, 17, 32, 33, 64, 65, 100, 101, 255, 256, 32767, 32768, 65534, 65535, 100000, 100001,
           16777215, 16777216, 1.5, -0.5, 1e12]


def nodes(data, path=()):
    """Every (container, key) pair in the document, in order."""
    if isinstance(data, dict):
        for key in list(data):
            yield data, key
            yield from nodes(data[key], path + (key,))
    elif isinstance(data, list):
        for index in range(len(data)):
            yield data, index
            yield from nodes(data[index], path + (index,))


def containers(data):
    found = [data] if isinstance(data, (dict, list)) else []
    for parent, key in nodes(data):
        if isinstance(parent[key], (dict, list)):
            found.append(parent[key])
    return found


def random_word(rng):
    return "".join(rng.choice(string.ascii_lowercase + "_") for _ in range(rng.randint(1, 12)))


def wrong_value(rng, value):
    """A value of another type, an out-of-range number or a random/near-miss string."""
    choices = []
    if isinstance(value, bool):
        choices += ["yes", "on", 1, None]
    elif isinstance(value, (int, float)):
        choices += [str(value), [value], {"value": value}, True] + rng.sample(NUMBERS, 4)
    elif isinstance(value, str):
        choices += [rng.choice(NUMBERS), [value], {value: value}, False, value.upper(), value + "x", value[:-1]]
    elif isinstance(value, list):
        choices += [value[0] if value else "x", {"item": value}, 7]
    elif isinstance(value, dict):
        choices += [list(value.values()), "text", 1]
    elif value is None:
        choices += [0, "x", []]
    choices += [random_word(rng), rng.choice(WORDS), None]
    return copy.deepcopy(rng.choice(choices))


def mutate(data, rng):
    data = copy.deepcopy(data)
    pairs = list(nodes(data))
    kind = rng.choice(["delete", "rename", "replace", "replace", "duplicate", "insert"])
    if kind in ("delete", "rename"):
        keyed = [(parent, key) for parent, key in pairs if isinstance(parent, dict)]
        parent, key = rng.choice(keyed)
        value = parent.pop(key)
        if kind == "rename":
            new = rng.choice([key[:-1], key + "s", key.replace("_", ""), random_word(rng), key[::-1]]) or "x"
            parent[new] = value
        return data, f"{kind} {key!r}"
    if kind == "replace":
        parent, key = rng.choice(pairs)
        parent[key] = wrong_value(rng, parent[key])
        return data, f"replace {key!r} by {parent[key]!r}"
    if kind == "duplicate":
        lists = [c for c in containers(data) if isinstance(c, list) and c]
        if not lists:
            return mutate(data, rng)
        target = rng.choice(lists)
        target.insert(rng.randrange(len(target) + 1), copy.deepcopy(rng.choice(target)))
        return data, "duplicate a list item"
    target = rng.choice(containers(data))
    garbage = rng.choice([random_word(rng), rng.choice(WORDS), rng.choice(NUMBERS), None, {"x": 1}, [1, 2]])
    if isinstance(target, dict):
        target[rng.choice([random_word(rng), rng.choice(WORDS)])] = garbage
    else:
        target.insert(rng.randrange(len(target) + 1), garbage)
    return data, "insert garbage"


def mutation_seeds():
    """Root files without includes: a fragment alone gets structure checks only from the Swift validator, and
    files that include others cannot be moved to a temporary directory."""
    seeds = []
    for path in VALID:
        data = load_yaml_file(path) or {}
        if "station" in data and "include" not in data:
            seeds.append(path)
    return seeds


def test_mutants_the_swift_validator_accepts_pass_the_schema(validator, tmp_path_factory):
    require_swift()
    rng = random.Random(SEED)
    seeds = [(p, load_yaml_file(p)) for p in mutation_seeds()]
    directory = tmp_path_factory.mktemp("mutants")
    mutants = {}
    for n in range(MUTANTS):
        source, data = seeds[n % len(seeds)]
        mutant, what = mutate(data, rng)
        path = directory / f"mutant_{n:03}_{source.stem}.yaml"
        path.write_text(f"# {source.name}: {what}\n" + dump_yaml(mutant), encoding="utf-8")
        mutants[path.resolve()] = (mutant, what)
    swift = swift_validate(list(mutants), chunk=75)
    disagreements = []
    swift_accepted = schema_accepted = 0
    for path, (mutant, what) in mutants.items():
        schema_says = schema_errors(validator, mutant)
        schema_accepted += not schema_says
        if not swift[path]:
            swift_accepted += 1
            if schema_says:
                disagreements.append(f"{path.name} ({what}): the Swift validator accepts it, the schema says {schema_says[:3]}")
    # the mutations must actually break files, or the implication proves nothing
    assert swift_accepted < MUTANTS * 0.6, f"only {MUTANTS - swift_accepted} of {MUTANTS} mutants were rejected"
    assert not disagreements, f"mutants kept in {directory}:\n" + "\n".join(disagreements)


def test_readme_example_passes_the_schema(validator):
    from conftest import load_yaml
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = [b for b in re.findall(r"```yaml\n(.*?)```", readme, re.S) if "station:" in b]
    assert blocks, "README has no example site"
    for block in blocks:
        assert schema_errors(validator, load_yaml(block)) == []
