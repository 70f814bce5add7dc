"""正在加密本站数据: the start-up of a station whose database an older program left plain.
``open_services`` encrypts it in place (the database, then the photos, then the backups made
before) on a worker thread while this progress dialog says which step it is on; there is no
Cancel, because stopping half-way would only make the next start do it again, and the
program cannot open the data before it is done. A kill or power cut in the middle leaves the
old or the new store whole (``app.store.store_encryption``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QEventLoop, Qt, QTimer
from PySide6.QtWidgets import QWidget

from app.i18n import tr
from app.ui.tasks import TaskRunner

#: what the dialog says for each stage ``open_services`` reports
STAGES = {
    "encrypt": "Encrypting the database",
    "photos": "Encrypting the photos",
    "backups": "Encrypting the backups",
}
STEPS = 1000


def stage_text(stage: str) -> str:
    step = tr(STAGES.get(stage, "Encrypting the database"))
    return tr("{step}…\n\nThe station's data is being encrypted so that a copy of "
              "it cannot be read without this PC's key. This runs once and cannot be "
              "stopped: the program opens the data when it is done.",
              step=step)


def run_with_encryption_progress(work: Callable[[Callable[[str, float], None]], Any],
                                 parent: QWidget | None = None) -> Any:
    """Runs ``work(progress)`` on a worker with the progress dialog; returns what it returns
    or raises what it raised, once it is done (the GUI stays responsive meanwhile)."""
    tasks = TaskRunner()
    loop = QEventLoop()
    outcome: dict[str, Any] = {}

    def job(report, _cancelled):  # type: ignore[no-untyped-def]
        def progress(stage: str, fraction: float) -> None:
            fraction = min(max(float(fraction), 0.0), 1.0)
            report(int(fraction * STEPS), STEPS, stage_text(stage))

        return work(progress)

    def done(value: Any) -> None:
        outcome["value"] = value
        loop.quit()

    def failed(exc: BaseException) -> None:
        outcome["error"] = exc
        loop.quit()

    try:
        dialog = tasks.run_with_progress(job, done, failed,
                                         title=tr("Encrypting the station's data"),
                                         parent=parent)
        dialog.setCancelButton(None)  # see the module docstring: it cannot stop half-way
        dialog.setObjectName("encrypt_progress")
        dialog.setLabelText(stage_text("encrypt"))
        dialog.setMinimumWidth(480)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.setMaximum(STEPS)

        def show() -> None:  # unless it was quick: the photos and backups tick seldom
            if not outcome and shiboken6.isValid(dialog):
                dialog.show()

        QTimer.singleShot(300, show)
        if not outcome:
            loop.exec()
    finally:
        tasks.shutdown()
    if "error" in outcome:
        raise outcome["error"]
    return outcome.get("value")
