"""`ocpp809 rules test` as a CI job sees it: PASS/FAIL lines, exit 0/1/2, located errors, JUnit XML."""
import os
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(os.environ.get("OCPP809_BIN", ROOT / ".build" / "debug" / "ocpp809"))

pytestmark = pytest.mark.skipif(not BIN.exists(), reason=f"ocpp809 binary not built at {BIN}; run scripts/test.sh")

SITE = (ROOT / "rules" / "default.yaml").as_posix()

PASSING = f"""
site: {SITE}
tests:
  - name: legacy 14.4kW
    ignore_ocpp: [{{action: TriggerMessage}}]
    steps:
      - connect: {{charger: CP004, version: "1.6"}}
      - ocpp:
          charger: CP004
          action: MeterValues
          payload: {{connectorId: 1, meterValue: [{{timestamp: "${{now}}", sampledValue: [{{value: "14.4kW", measurand: Power.Active.Import}}]}}]}}
      - expect_iec: [{{ioa: 1300, value: 14.4, quality: [], cot: 3}}, {{ioa: 10, value: 14.4, quality: [IV, NT]}}]
"""


def run(*args):
    return subprocess.run([str(BIN), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_passing_failing_and_unreadable_files(tmp_path):
    (tmp_path / "ok.test.yaml").write_text(PASSING, encoding="utf-8")
    result = run("rules", "test", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASS legacy 14.4kW" in result.stdout
    assert "1 test: 1 passed, 0 failed" in result.stdout

    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "bad.test.yaml").write_text(PASSING.replace("value: 14.4, quality: [], cot: 3", "value: 7.4"),
                                                    encoding="utf-8")
    result = run("rules", "test", tmp_path, "--junit", tmp_path / "report.xml")
    assert result.returncode == 1
    assert "FAIL legacy 14.4kW" in result.stdout
    assert "step 3 (expect_iec)" in result.stdout and "value: expected 7.4, got 14.4" in result.stdout
    suites = ET.parse(tmp_path / "report.xml").getroot()
    assert suites.get("tests") == "2" and suites.get("failures") == "1"

    assert run("rules", "test", tmp_path, "--run", "nothing matches").returncode == 0

    (tmp_path / "broken.test.yaml").write_text("site: x.yaml\ntests:\n  - name: t\n    stepz: []\n", encoding="utf-8")
    result = run("rules", "test", tmp_path / "broken.test.yaml")
    assert result.returncode == 2
    assert "broken.test.yaml:4:5: error: unknown key 'stepz' in a test; did you mean 'steps'?" in result.stderr


def test_usage_errors_exit_2(tmp_path):
    assert run("rules", "test", tmp_path / "missing").returncode == 2
    assert run("rules", "test", tmp_path).returncode == 2, "no test files"
    assert run("rules", "test", ROOT / "rules", "--run", "(").returncode == 2
    assert run("rules", "test", ROOT / "rules", "--path", "fast").returncode == 2


def test_rule_validation_skips_test_files():
    result = run("rules", "validate", "rules/")
    assert result.returncode == 0, result.stderr
    assert ".test.yaml" not in result.stdout + result.stderr
