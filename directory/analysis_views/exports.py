"""The area analysis as CSV and JSON: plain functions over findings, metrics and coverage."""
from __future__ import annotations

import csv
import io
import json

from .. import vocab
from ..analysis import FINDING_KINDS, SEVERITIES, Finding
from .views import CLIENT_GROUP_RULE, links_left_out, links_out_of_area

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


def _shortlist_item(item, names: dict[int, str]) -> dict:
    action = item.finding.actions[0] if item.finding.actions else None
    ask = action.ask if action else ()
    return {"key": item.finding.key, "title": item.finding.title, "score": item.score, "score_parts": item.parts,
            "why": item.why, "action": action.text if action else item.finding.next_step,
            "ask": [{"id": i, "name": names.get(i, f"#{i}")} for i in ask]}


def analysis_data(area: dict, result) -> dict:
    """Everything the area analysis page shows, as plain data for JSON: the area and date, the client group read
    for, the score and its parts, the shortlist of what to raise, findings (with their actions and evidence),
    metrics (actors as a list), stage coverage, the stage x client-group grid, the expected routes, the links
    that leave the area and the links left out of the analysis, with why. `result` is an AreaAnalysis."""
    names = result.names
    metrics = result.metrics
    actors = [{"id": i, **values} for i, values in metrics.get("actors", {}).items()]
    return {
        "area": area,
        "analysed_on": result.today.isoformat(),
        "client_group": result.client_group,
        "client_group_rule": CLIENT_GROUP_RULE,
        "score": result.score.to_dict() if result.score is not None else None,
        "shortlist": [_shortlist_item(item, names) for item in result.shortlist],
        "findings": [f.to_dict() for f in result.findings],
        "metrics": {**{k: v for k, v in metrics.items() if k != "actors"}, "actors": actors},
        "coverage": result.coverage,
        "client_group_coverage": result.group_grid,
        "expected_routes": [{"key": r.key, "from_stage": r.from_stage, "to_stage": r.to_stage, "why": r.why,
                             "severity": r.severity, "to_service_types": sorted(r.to_service_types)}
                            for r in vocab.EXPECTED_ROUTES],
        "actors_outside_area": [{"id": i, "name": names[i]} for i in result.net.by_name(result.net.outside)],
        "links_out_of_area": links_out_of_area(result.net),
        "links_left_out": links_left_out(result.net),
    }


def analysis_json(area: dict, result) -> str:
    """The whole analysis as JSON text."""
    return json.dumps(analysis_data(area, result), indent=2, ensure_ascii=False, default=str)
