"""What the user sees: findings on stderr, the summary, and the --report JSON file."""
from __future__ import annotations

import collections
import json
from pathlib import Path
from typing import TextIO


def print_findings(result, stream: TextIO) -> None:
    """Warnings (not plain changes) as ``path:line:col: GLU<id> <severity>: <text>``."""
    if result.error:
        print(f"{result.path}: error: {result.error}", file=stream)
    for finding in result.findings:
        if finding.severity != "change":
            print(finding.format(result.path), file=stream)


def summary(results: list, wrote: bool) -> str:
    counts = collections.Counter(r.status for r in results)
    verb = "changed" if wrote else "would change"
    lines = [f"{counts['changed']} file(s) {verb}, {counts['unchanged']} unchanged, "
             f"{counts['failed']} failed"]
    by_rule = collections.Counter(f.rule for r in results for f in r.findings
                                  if f.severity != "change")
    if by_rule:
        lines.append("warnings by rule: " + ", ".join(
            f"GLU{rule} {count}" for rule, count in sorted(by_rule.items())))
    needing_human = sorted({r.path for r in results if r.error or any(
        f.severity in ("warning", "error") for f in r.findings)})
    if needing_human:
        lines.append(f"{len(needing_human)} file(s) need a human look (see the warnings above)")
    return "\n".join(lines)


def write_report(path: Path, results: list, options) -> None:
    """Every change and warning of the run, per file, as JSON."""
    report = {
        "options": {"target": options.target, "unsafe": options.unsafe,
                    "groups": sorted(options.groups),
                    "select": sorted(options.selected) if options.selected else None,
                    "ignore": sorted(options.ignored)},
        "files": [{
            "path": r.path, "status": r.status, "error": r.error,
            "changes": [_finding(f) for f in r.findings if f.severity == "change"],
            "warnings": [_finding(f) for f in r.findings if f.severity != "change"],
        } for r in sorted(results, key=lambda r: r.path)],
    }
    path.write_text(json.dumps(report, indent=1) + "\n", encoding="utf-8")


def _finding(finding) -> dict:
    return {"rule": f"GLU{finding.rule}", "severity": finding.severity, "line": finding.line,
            "column": finding.column, "message": finding.message}
