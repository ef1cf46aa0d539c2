"""HTML building blocks of the report: escaping, number formats, intervals, tables, the CSS.

Small pure functions with no knowledge of result directories, so the report's sections
read as prose about results rather than string handling.
"""

from __future__ import annotations

import html
import json
import math
from pathlib import Path
from typing import Any, Callable

import numpy as np
import pandas as pd

from sim.analysis.results import ResultsError

def read_json(path: Path) -> dict | None:
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text())
    except (OSError, json.JSONDecodeError) as exc:
        raise ResultsError(f"{path}: unreadable ({exc})") from exc
    return data if isinstance(data, dict) else None


def e(value: Any) -> str:
    return html.escape("" if value is None else str(value))


def clean(text: Any) -> str:
    return " ".join(str(text).split()) if text else ""


def anchor(text: str) -> str:
    return "".join(ch if ch.isalnum() else "-" for ch in text.lower()).strip("-")


def codes(items: list[str]) -> str:
    return ", ".join(f"<code>{e(i)}</code>" for i in items)


def label(outcome: str) -> str:
    return outcome.replace("_", " ").capitalize()


def outcome_label(outcome: str, focus: list[str]) -> str:
    return f"<strong>{e(outcome)}</strong>" if outcome in focus else e(outcome)


def fmt(value: Any) -> str:
    """Numbers to 3-4 significant figures, integers as integers, missing as '–'."""
    if value is None:
        return "–"
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else "no"
    if isinstance(value, (int, np.integer)):
        return str(int(value))
    if isinstance(value, (float, np.floating)):
        x = float(value)
        if math.isnan(x):
            return "–"
        if x.is_integer() and abs(x) < 1e9:
            return str(int(x))
        a = abs(x)
        if a >= 100:
            return f"{x:.0f}"
        if a >= 10:
            return f"{x:.1f}"
        if a >= 0.01:
            return f"{x:.3g}"
        return f"{x:.2g}"
    return str(value)


def interval(values: pd.Series) -> str:
    x = pd.to_numeric(values, errors="coerce").astype(float)
    none = int(x.isna().sum())
    x = x.dropna()
    if x.empty:
        return "–"
    if len(x) == 1:
        text = fmt(x.iloc[0])
    else:
        lo, hi = np.quantile(x, [0.05, 0.95])
        text = f"{fmt(x.mean())} [{fmt(lo)} – {fmt(hi)}]"
    return text + (f" ({none} none)" if none else "")


def close(a: Any, b: Any) -> bool:
    try:
        return abs(float(a) - float(b)) < 1e-9
    except (TypeError, ValueError):
        return str(a) == str(b)


def short(value: Any, limit: int = 120) -> str:
    text = value if isinstance(value, str) else json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def table(head: list[str], rows: list[list[str]], escape: bool = True, cls: str = "") -> str:
    """A table; cells are HTML already unless `escape`."""
    cell: Callable[[Any], str] = e if escape else str
    th = "".join(f"<th>{e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{cell(c)}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="scroll"><table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table></div>'


CSS = """
:root{--ink:#1d2330;--muted:#5b6475;--line:#d9dde5;--accent:#0072B2;--bg:#fbfbfc}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
main{max-width:1100px;margin:0 auto;padding:24px 28px 48px;background:#fff;box-shadow:0 0 0 1px var(--line)}
header{border-bottom:3px solid var(--accent);margin-bottom:12px;padding-bottom:8px}
h1{font-size:1.7em;margin:0 0 4px}
h2{font-size:1.3em;margin:32px 0 8px;padding-bottom:4px;border-bottom:1px solid var(--line)}
h3{font-size:1.1em;margin:22px 0 6px}
h4{font-size:1em;margin:16px 0 6px}
.sub{color:var(--muted);margin:0 0 8px}
nav a{margin-right:14px;color:var(--accent);text-decoration:none;font-size:.92em}
nav a:hover{text-decoration:underline}
.question{font-size:1.12em;font-style:italic;border-left:4px solid var(--accent);padding:4px 12px;margin:8px 0;background:#f2f7fb}
.missing{color:#8a5a00}
.notes{background:#fff6e5;border:1px solid #f0d199;padding:8px 14px;margin:12px 0;font-size:.92em}
.scroll{overflow-x:auto;margin:8px 0 12px}
table{border-collapse:collapse;font-size:.9em;min-width:40%}
th,td{border-bottom:1px solid var(--line);padding:4px 10px;text-align:left;vertical-align:top}
th{background:#f3f5f8;font-weight:600;white-space:nowrap}
table.num td+td{font-variant-numeric:tabular-nums;white-space:nowrap}
tbody tr:hover{background:#f8fafc}
figure{margin:18px 0 26px}
figure img{max-width:100%;height:auto;border:1px solid var(--line)}
figcaption{color:var(--muted);font-size:.9em;margin-top:4px}
pre{background:#f3f5f8;padding:10px 12px;overflow-x:auto;border-radius:4px}
code{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.9em}
details{margin:8px 0}
summary{cursor:pointer;color:var(--accent)}
section.part{border-top:3px double var(--line);margin-top:28px}
footer{margin-top:36px;color:var(--muted);font-size:.85em;border-top:1px solid var(--line);padding-top:8px}
"""
