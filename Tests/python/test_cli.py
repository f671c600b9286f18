"""The rules CLI as a user and a CI job see it: exit codes, output formats, the signal list."""
import csv
import io
import json
import os
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("OCPP809_BIN", ROOT / ".build" / "debug" / "ocpp809"))

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"ocpp809 binary not built at {BIN}; run scripts/test.sh")


def run(*args, cwd=ROOT):
    return subprocess.run([str(BIN), *map(str, args)], cwd=cwd, capture_output=True, text=True, timeout=120)


def test_shipped_rules_validate():
    result = run("rules", "validate", "rules/")
    assert result.returncode == 0, result.stderr
    assert "valid: 0 errors" in result.stdout


def test_default_site_signal_list_has_every_point():
    result = run("rules", "points", "rules/default.yaml", "--format", "csv")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    header = result.stdout.splitlines()[0].split(",")
    assert header[:10] == ["ca", "ioa", "type", "type_id", "direction", "charger", "evse", "signal", "unit", "description"]
    chargers = {row["charger"] for row in rows}
    assert {f"CP{n:03d}" for n in range(1, 11)} <= chargers
    assert "" in chargers, "site points have an empty charger column"
    for row in rows:
        assert row["direction"] in ("monitor", "control")
        assert int(row["type_id"]) > 0 and 1 <= int(row["ioa"]) <= 16_777_215
        assert re.fullmatch(r"[a-z][a-z0-9_]*", row["signal"])
    addresses = [(row["ca"], row["ioa"]) for row in rows]
    assert len(addresses) == len(set(addresses)), "addresses are unique"
    power = [row for row in rows if row["signal"] == "power_kw"]
    assert len(power) == 10 and all(row["type"] == "M_ME_TF_1" and row["type_id"] == "36" for row in power)
    points_json = json.loads(run("rules", "points", "rules/default.yaml", "--format", "json").stdout)
    assert len(points_json) == len(rows)
    assert all(isinstance(p["ioa"], int) for p in points_json)


def test_table_and_graph_formats():
    table = run("rules", "points", "rules/default.yaml", "--format", "table")
    assert table.returncode == 0 and table.stdout.splitlines()[0].split()[:3] == ["ca", "ioa", "type"]
    text = run("rules", "graph", "rules/default.yaml", "--charger", "CP001")
    assert text.returncode == 0, text.stderr
    assert "charger CP001" in text.stdout and "charger CP002" not in text.stdout
    nothing = run("rules", "graph", "rules/default.yaml", "--charger", "NOPE*")
    assert nothing.returncode == 2 and "no charger id matches 'NOPE*'" in nothing.stderr
    dot = run("rules", "graph", "rules/default.yaml", "--format", "dot")
    assert dot.returncode == 0 and dot.stdout.startswith("digraph rules {") and dot.stdout.rstrip().endswith("}")


BROKEN = """station:
  common_address: 1
templates:
  t:
    points:
      - {signal: p, offset: 0, type: M_ME_TF_1, unit: kW, from: {action: MeterValues, measurand: Power.Active.Import}}
chargers:
  - {id: A, template: t, ioa_base: 100}
  - {id: B, template: t, ioa_base: 100}
  - {id: C, templat: t}
"""


def test_invalid_file_reports_every_problem_with_locations(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text(BROKEN)
    result = run("rules", "validate", path)
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert any(re.match(rf"{re.escape(str(path))}:6:\d+: error: unit mismatch", l) for l in lines), result.stderr
    assert any(re.match(rf"{re.escape(str(path))}:9:5: error: duplicate IOA.*'B' overlaps charger 'A'", l) for l in lines), result.stderr
    assert any(re.match(rf"{re.escape(str(path))}:8:5: note: charger 'A' defined here", l) for l in lines), result.stderr
    assert any("unknown key 'templat'; did you mean 'template'?" in l for l in lines), result.stderr
    report = json.loads(run("rules", "validate", "--format", "json", path).stdout)
    assert report["valid"] is False and report["errors"] == 3
    first = report["diagnostics"][0]
    assert set(first) >= {"file", "line", "column", "severity", "message", "related"}


def test_usage_errors_exit_2(tmp_path):
    assert run("rules", "validate", tmp_path / "missing.yaml").returncode == 2
    assert run("rules", "validate", "--format", "xml", "rules/").returncode == 2
    assert run("rules", "validate").returncode == 2
    empty = run("rules", "validate", tmp_path)
    assert empty.returncode == 2 and "no rule files" in empty.stderr, "a CI job pointed at the wrong folder must not pass"
    assert run("rules", "points", "rules/").returncode == 2, "several sites: name one"


def test_deny_warnings(tmp_path):
    path = tmp_path / "site.yaml"
    path.write_text("station: {common_address: 1, link: {k: 12, w: 10}}\n")
    assert run("rules", "validate", path).returncode == 0
    result = run("rules", "validate", "--deny-warnings", path)
    assert result.returncode == 1 and "warning: w (10) above two thirds of k (12)" in result.stderr


@pytest.mark.parametrize("payload", [
    b"\x00\x01\x02\xff\xfe" * 1000,
    b"a: " + b"[" * 200 + b"]" * 200,
    b"a: &a [x,x,x,x,x,x,x,x,x]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    b"d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    b"g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\nh: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\ni: [*h,*h,*h,*h,*h,*h,*h,*h,*h]\n",
    b"station:\n\tcommon_address: 1\n",
    b"key: 'unterminated\n",
])
def test_hostile_files_get_a_located_diagnostic(tmp_path, payload):
    path = tmp_path / "hostile.yaml"
    path.write_bytes(payload)
    result = run("rules", "validate", path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert re.search(rf"{re.escape(str(path))}:\d+:\d+: error: ", result.stderr), result.stderr


def test_fifty_megabyte_file_is_refused_quickly(tmp_path):
    path = tmp_path / "huge.yaml"
    with open(path, "wb") as f:
        line = b"# " + b"x" * 1021 + b"\n"
        for _ in range(50 * 1024):
            f.write(line)
    result = run("rules", "validate", path)
    assert result.returncode == 1
    assert f"{path}:1:1: error: file is {50 * 1024 * 1024} bytes; the limit is" in result.stderr


def test_readme_example_validates(tmp_path):
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```yaml\n(.*?)```", readme, re.S)
    example = next(b for b in blocks if "station:" in b)
    path = tmp_path / "depot.yaml"
    path.write_text(example)
    result = run("rules", "validate", "--deny-warnings", path)
    assert result.returncode == 0, result.stderr


def test_embedded_default_site_matches_rules_default_yaml():
    """`ocpp809 run` without --rules serves an embedded copy of rules/default.yaml; the copy must not drift."""
    root = Path(__file__).resolve().parents[2]
    source = (root / "rules" / "default.yaml").read_text()
    embedded = (root / "Sources" / "ocpp809" / "DefaultSite.swift").read_text()
    start = embedded.index('static let yaml = #"""\n') + len('static let yaml = #"""\n')
    end = embedded.index('"""#', start)
    assert embedded[start:end] == source, "run scripts/embed-default-site.sh after editing rules/default.yaml"
