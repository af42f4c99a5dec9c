"""The area analysis as CSV and JSON: plain functions over findings, metrics and coverage."""
from __future__ import annotations

import csv
import io
import json
from datetime import date

from ..analysis import FINDING_KINDS, SEVERITIES, Finding

CSV_COLUMNS = ["kind", "severity", "title", "reason", "stages", "actor ids", "actor names", "next step"]
# A spreadsheet treats a cell starting with one of these as a formula (OWASP "CSV injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value) -> str:
    """A cell's text, with a leading single quote when a spreadsheet would read it as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def finding_row(finding: Finding, names: dict[int, str]) -> list[str]:
    """One CSV row for a finding: kind, severity, title, reason, stages, actor ids and names, next step."""
    return [safe_cell(v) for v in (
        FINDING_KINDS.label(finding.kind), SEVERITIES.label(finding.severity), finding.title, finding.reason,
        "; ".join(str(s) for s in finding.stages), "; ".join(str(i) for i in finding.actor_ids),
        "; ".join(names.get(i, f"#{i}") for i in finding.actor_ids), finding.next_step)]


def findings_csv(findings: list[Finding], names: dict[int, str]) -> str:
    """The findings as CSV text (one row per finding, a header row first), safe to open in a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for f in findings:
        writer.writerow(finding_row(f, names))
    return out.getvalue()


def analysis_data(area: dict, findings: list[Finding], metrics: dict, coverage: list[dict],
                  today: date) -> dict:
    """The whole analysis as plain data for JSON: area, date, findings, metrics (actors as a list), coverage."""
    actors = [{"id": i, **values} for i, values in metrics.get("actors", {}).items()]
    return {
        "area": area,
        "analysed_on": today.isoformat(),
        "findings": [f.to_dict() for f in findings],
        "metrics": {**{k: v for k, v in metrics.items() if k != "actors"}, "actors": actors},
        "coverage": coverage,
    }


def analysis_json(area: dict, findings: list[Finding], metrics: dict, coverage: list[dict], today: date) -> str:
    """The whole analysis as JSON text."""
    return json.dumps(analysis_data(area, findings, metrics, coverage, today), indent=2, ensure_ascii=False)
