"""``knowledge``: the repair knowledge (维修知识库) from the command line.

``repair-station knowledge "症状" [--model M] [--limit N]`` prints the diagnoses, actions and
parts of similar past repairs, best first, each with how often it was the answer; exit 0,
also when nothing is found (it says so). A blank symptom or a limit out of range exits 2
with a message. On a station whose knowledge index is still being built (an upgraded
station), the command finishes the build first, its progress on stderr. Reading needs no
user: every role may learn from past repairs.
"""

from __future__ import annotations

import argparse
import sys

from app.bootstrap import open_services
from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.paths import DataPaths, default_data_dir
from app.services.knowledge import BuildProgress, Suggestion
from app.store.migrate import DatabaseTooNew


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser("knowledge",
                                   help="similar past repairs for a symptom (维修知识库)")
    parser.add_argument("symptom", help="the fault as the customer describes it")
    parser.add_argument("--model", default=None, help="product model (same model counts more)")
    parser.add_argument("--limit", type=int, default=10, help="how many suggestions (1-50)")
    parser.set_defaults(handler=run)


def suggestion_lines(index: int, s: Suggestion) -> list[str]:
    """How one suggestion reads on the terminal."""
    lines = [f"{index}. {tr('Diagnosis: {value}', value=_flat(s.diagnosis))}",
             "   " + tr("Actions: {value}", value=_flat(s.actions))]
    if s.parts:
        parts = "、".join(tr("{part} ×{times}", part=_flat(p.description), times=p.times)
                         for p in s.parts[:5])
        lines.append("   " + tr("Parts: {parts}", parts=parts))
    kin = tr(" (same model)") if s.same_model else tr(" (same family)") if s.same_family else ""
    lines.append("   " + tr("{times} times; latest {date} {number} {model}{kin}",
                            times=s.times, date=s.last_at.astimezone().strftime("%Y-%m-%d"),
                            number=s.order_number, model=s.model or "-", kin=kin))
    return lines


def _flat(text: str) -> str:
    return " ".join(text.split())


def run(args: argparse.Namespace) -> int:
    paths = DataPaths(args.data_dir or default_data_dir())
    if not paths.database.exists():
        print(tr("Error: no station data in {folder}.", folder=paths.root), file=sys.stderr)
        return 2
    try:
        services = open_services(paths.root)
    except DatabaseTooNew as exc:
        print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
        return 2
    try:
        if not services.knowledge.progress().complete:
            def shown(p: BuildProgress) -> None:
                percent = 100 if p.complete or not p.total else p.done * 100 // p.total
                print(f"\r{tr('Building the repair knowledge {percent}%', percent=percent)}",
                      end="", file=sys.stderr)

            services.knowledge.build(progress=shown)
            print(file=sys.stderr)
        try:
            found = services.knowledge.similar(args.symptom, args.model, args.limit)
        except RuleViolation as exc:
            print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
            return 2
        if not found:
            print(tr("No similar past repairs for “{symptom}”.", symptom=args.symptom.strip()))
            return 0
        print(tr("Similar repairs for “{symptom}”:", symptom=args.symptom.strip()))
        for i, suggestion in enumerate(found, 1):
            for line in suggestion_lines(i, suggestion):
                print(line)
        return 0
    finally:
        services.close()
