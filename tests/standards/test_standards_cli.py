"""Issue 8 from the command line: `rota standards` for managers (item 10) and the history warnings
of `rota check --standard` and `rota due` (item 9), on small team folders written here."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from scheduler.cli import main
from scheduler.standards import available_standards, load_standard

WORKERS = "worker_id,name,role,base_lat,base_lon\nW1,Ann Example,social_worker,51.55,-1.78\n"
# things a Python data structure or a YAML duration prints as, never meant for a manager
PYTHON_SYNTAX = re.compile(r"\{'|'\}|\('|'\)|=\{|=\(|\bNone\b(?! in place)|\bTrue\b|\bFalse\b|Duration\(|"
                           r"working_days|calendar_days|\bamount\b|\bunit\b|until after|placement_start\b|"
                           r"status_start\b|assessment_completed\b|on_every_visit|applies_to")


def _standards(name: str) -> str:
    run = CliRunner().invoke(main, ["standards", name])
    assert run.exit_code == 0, run.output
    return run.output


def _data_texts(std) -> list[str]:
    """Every string the YAML itself holds (the document's words and the authors' prose)."""
    cits = [c for r in std.rules for c in (r.citation, *r.also)] + [n.citation for n in std.not_modelled]
    texts = [std.authority, std.source.title, *std.notes, *std.status_start.values()]
    texts += [r.note for r in std.rules] + [p.label for r in std.rules for p in r.phases]
    texts += [c.quote for c in cits] + [c.section for c in cits]
    texts += [x.note for x in std.silent] + [n.what for n in std.not_modelled] + [n.why for n in std.not_modelled]
    return sorted({" ".join(t.split()) for t in texts if t.strip()}, key=len, reverse=True)


@pytest.mark.parametrize("name", available_standards())
def test_item10_plain_english_with_the_documents_title_not_its_file_name(name):
    std = load_standard(name)
    out = _standards(name)
    assert out.splitlines()[0] == f"{std.authority}: {std.source.title}"
    assert std.source.file not in out
    # what the command itself writes (the YAML's own strings removed) has no data structures or codes
    written = " ".join(out.split())
    for text in _data_texts(std):
        written = written.replace(text, "")
    assert not PYTHON_SYNTAX.search(written), PYTHON_SYNTAX.search(written)
    for rule in std.rules:
        assert f"[{rule.id}]" in out


@pytest.mark.parametrize("name", available_standards())
def test_item10_not_modelled_items_with_their_citations_and_status_start_meanings(name):
    std = load_standard(name)
    out = " ".join(_standards(name).split())
    assert "Timescales in the document that the input data cannot schedule:" in out
    for nm in std.not_modelled:
        assert " ".join(nm.what.split()) in out
        section, quote = (" ".join(t.split()) for t in (nm.citation.section, nm.citation.quote))
        assert f'"{section}": "{quote}"' in out
    assert "What the status start date (children.csv status_start_date) means here:" in out
    for status, meaning in std.status_start.items():
        assert f"({status}): {meaning}" in out


def test_item10_dorset_rules_read_as_sentences():
    out = " ".join(_standards("dorset").split())
    # the rule printed before as: for {'status': ('cic',), 'placement_type': ('foster',), ...} /
    # until after={'amount': 4, 'unit': 'weeks'}
    assert ("For children in care (cic), placed in foster care (or with no placement type recorded), in a placement "
            "formally agreed as permanent (children.csv placement_long_term: yes), with the reduction in visits "
            "agreed as the document requires (children.csv visit_reduction_agreed: yes).") in out
    assert "first 4 weeks after ICPC: at least every 5 working days, until 4 weeks after the clock starts." in out
    assert "clock starts: the start of the current placement (the status start date if none is recorded)." in out
    assert ("children on a child protection plan (cp): the date of the initial child protection conference "
            "(ICPC)") in out


def test_item10_knowsley_fallback_trigger_reads_in_order_of_preference():
    out = " ".join(_standards("knowsley").split())
    assert "clock starts: the date the assessment was completed, or if there is none, the status start date." in out


def test_item10_list_of_standards():
    run = CliRunner().invoke(main, ["standards"])
    assert run.exit_code == 0
    for key in available_standards():
        assert f"{load_standard(key).authority}: {load_standard(key).source.title}" in run.output


# ------------------------------------------------------------------ item 9 on the command line

def _folder(tmp_path: Path, children: str, visits: str) -> Path:
    (tmp_path / "workers.csv").write_text(WORKERS, encoding="utf-8")
    (tmp_path / "children.csv").write_text(
        "child_id,status,status_start_date,lat,lon,allocated_worker_id,date_of_birth,placement_type,"
        "placement_start_date\n" + children, encoding="utf-8")
    (tmp_path / "visits.csv").write_text("child_id,date,worker_id,seen_alone,bedroom_seen\n" + visits,
                                         encoding="utf-8")
    return tmp_path


def test_item9_rota_check_with_a_standard_warns_about_history_that_does_not_reach_back(tmp_path):
    # K1 placed in foster care Mon 8 Jan 2024, history from Thu 1 Oct 2026: Dorset's same day / 5 WD / monthly
    # counts 1 of 2 visits. K2 placed Mon 5 Oct 2026 and seen that day and Fri 9 Oct: nothing to warn.
    folder = _folder(tmp_path,
                     "K1,cic,2024-01-08,51.56,-1.77,W1,2015-01-01,foster,2024-01-08\n"
                     "K2,cic,2026-10-05,51.56,-1.77,W1,2015-01-01,foster,2026-10-05\n",
                     "K1,2026-10-01,W1,yes,no\nK2,2026-10-05,W1,yes,no\nK2,2026-10-09,W1,yes,no\n")
    run = CliRunner().invoke(main, ["check", str(folder), "--on", "2026-11-02", "--standard", "dorset"])
    assert run.exit_code == 0, run.output
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning: visits.csv: child K1")]
    assert any("rule dorset.cic.foster.visit" in w and "placement start 2024-01-08" in w
               and "the earliest record held for K1 is 2026-10-01" in w and "reach back" in w for w in warnings)
    assert "child K2: rule dorset.cic.foster.visit" not in run.stderr
    assert f"{folder}: OK" in run.stdout
    # without --standard, rota check says nothing about it
    plain = CliRunner().invoke(main, ["check", str(folder), "--on", "2026-11-02"])
    assert plain.exit_code == 0 and "reach back" not in plain.output


def _foster_since_2024(tmp_path):
    """K1, in foster care since 8 Jan 2024, with one visit on record (1 Oct 2026)."""
    return _folder(tmp_path, "K1,cic,2024-01-08,51.56,-1.77,W1,2015-01-01,foster,2024-01-08\n",
                   "K1,2026-10-01,W1,yes,no\n")


def test_item9_check_takes_the_region_as_due_and_plan_do(tmp_path):
    folder = _foster_since_2024(tmp_path)
    run = CliRunner().invoke(main, ["check", str(folder), "--on", "2026-11-02", "--standard", "dorset",
                                    "--region", "wales"])
    assert run.exit_code == 0, run.output
    assert "reach back" in run.stderr
    bad = CliRunner().invoke(main, ["check", str(folder), "--region", "atlantis"])
    assert bad.exit_code == 2 and "atlantis" in bad.output


def test_item9_rota_due_prints_the_same_warnings_on_stderr(tmp_path):
    folder = _foster_since_2024(tmp_path)
    run = CliRunner().invoke(main, ["due", str(folder), "--standard", "dorset", "--on", "2026-11-02",
                                    "--format", "csv"])
    assert run.exit_code == 0, run.output
    assert "child K1: rule dorset.cic.foster.visit" in run.stderr
    assert "reach back" not in run.stdout  # the CSV stays clean for piping
    # 1 of the 2 count-based visits on record: 5 WD after Thu 1 Oct 2026 -> 2,5,6,7,8 -> Thu 8 Oct (overdue)
    assert "K1,visit,2026-10-08,2026-10-01,overdue" in run.stdout


def test_item9_unknown_standard_for_check_is_exit_2(tmp_path):
    folder = _folder(tmp_path, "K1,cin,2026-06-01,51.56,-1.77,W1,2015-01-01,,\n", "")
    run = CliRunner().invoke(main, ["check", str(folder), "--on", "2026-11-02", "--standard", "atlantis"])
    assert run.exit_code == 2 and "unknown standard 'atlantis'" in run.output
