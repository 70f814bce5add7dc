"""The printable documents, keyed by the name commands and menus use ("report",
"work-order", ...). A new paper is one module with a ``DOCUMENT`` spec, listed in
``DOCUMENT_MODULES`` under its name. Modules load on first use, so naming the documents (for
the command line's choices) does not load reportlab.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from app.printing.data import Paper

DOCUMENT_MODULES: dict[str, str] = {
    "report": "app.printing.repair_report",
    "work-order": "app.printing.work_order",
    "receipt": "app.printing.receipt",
    "count-sheet": "app.printing.count_sheet",
    "manifest": "app.printing.manifest",
    "old-part-tags": "app.printing.old_part_tags",
    "feedback-card": "app.printing.feedback_card",
    "claim-batch": "app.printing.claim_batch",
    "settlement": "app.printing.settlement",
    "statistics": "app.printing.report_sheet",
    "personal-data": "app.printing.personal_data",
    "recovery-key": "app.printing.recovery_key",
    "route-sheet": "app.printing.route_sheet",
}


@dataclass(frozen=True)
class DocumentSpec:
    name: str  # the command-line and settings key
    title: str  # English source text, shown through tr()
    #: what the document is about; the report service builds the matching data: "order"
    #: (OrderSheet), "sale" (ReceiptSheet), "count" (CountSheet), "shipment" (ShipmentSheet),
    #: "feedback" (feedback_card.FeedbackSheet)
    subject: str
    render: Callable[[Any, Paper, str | Path | IO[bytes]], None]
    papers: tuple[Paper, ...] = (Paper.A4, Paper.A5)


_documents: dict[str, DocumentSpec] | None = None


def names() -> list[str]:
    return list(DOCUMENT_MODULES)


def documents() -> dict[str, DocumentSpec]:
    global _documents
    if _documents is None:
        found: dict[str, DocumentSpec] = {}
        for name, module in DOCUMENT_MODULES.items():
            spec: DocumentSpec = importlib.import_module(module).DOCUMENT
            if spec.name != name:
                raise RuntimeError(f"{module} declares {spec.name!r}, listed as {name!r}")
            found[name] = spec
        _documents = found
    return _documents


def document(name: str) -> DocumentSpec:
    """The document called ``name``; KeyError names the known ones."""
    known = documents()
    if name not in known:
        raise KeyError(f"unknown document {name!r}; known: {', '.join(sorted(known))}")
    return known[name]
