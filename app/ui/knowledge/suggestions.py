"""相似维修: a compact list of similar past repairs that follows a fault text as it is typed.

The panel never blocks typing and never takes the focus: each change restarts a short timer
(``DEBOUNCE_MS``); when it fires, the query runs on the task runner's database worker and the
answer comes back on the GUI thread, where an answer to an older text than the newest one
asked is dropped (a generation number). The list takes no focus, so Tab and typing stay in the
fault field. ``chosen`` carries the suggestion a technician picks (double-click or the copy
button) for whoever can use it (the order editor fills its repair record form).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.domain.errors import RuleViolation
from app.i18n import render, tr
from app.services.knowledge import Suggestion
from app.ui.extensions import UiContext

DEBOUNCE_MS = 300
log = logging.getLogger(__name__)


def suggestion_text(s: Suggestion) -> str:
    """How one suggestion reads in the list: what was found and done, then parts and count."""
    head = f"{' '.join(s.diagnosis.split())} → {' '.join(s.actions.split())}"
    tail = [tr("{times}×", times=s.times)]
    if s.parts:
        tail.insert(0, "、".join(" ".join(p.description.split()) for p in s.parts[:3]))
    if s.same_model:
        tail.append(tr(" (same model)").strip())
    elif s.same_family:
        tail.append(tr(" (same family)").strip())
    return f"{head}\n{'  ·  '.join(tail)}"


def suggestion_tip(s: Suggestion) -> str:
    lines = [tr("Diagnosis: {value}", value=s.diagnosis), tr("Actions: {value}", value=s.actions)]
    if s.parts:
        lines.append(tr("Parts: {parts}", parts="、".join(
            tr("{part} ×{times}", part=p.description, times=p.times) for p in s.parts)))
    lines.append(tr("{times} times; latest {date} {number} {model}{kin}", times=s.times,
                    date=s.last_at.astimezone().strftime("%Y-%m-%d"), number=s.order_number,
                    model=s.model or "-", kin=""))
    return "\n".join(lines)


class SuggestionPanel(QGroupBox):
    """The list of similar repairs for the text given to ``ask`` (debounced, off the GUI
    thread, stale answers dropped)."""

    chosen = Signal(object)  # a Suggestion
    #: an answer was shown (tests and the page wait on it): the list of suggestions
    answered = Signal(list)

    def __init__(self, ctx: UiContext, limit: int = 5, parent: QWidget | None = None,
                 debounce_ms: int = DEBOUNCE_MS) -> None:
        super().__init__(tr("Similar repairs"), parent, objectName="knowledge_panel")
        self.ctx = ctx
        self.limit = limit
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list = QListWidget(objectName="knowledge_suggestions")
        self.list.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.list.setWordWrap(True)
        self.list.setAlternatingRowColors(True)
        self.list.itemDoubleClicked.connect(lambda item: self._choose(item))
        self.status = QLabel(tr("Similar repairs appear here as the fault is typed."),
                             objectName="knowledge_status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet("color: #666;")
        self.copy_button = QPushButton(tr("Copy to repair record"), objectName="knowledge_copy")
        self.copy_button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.copy_button.setToolTip(tr(
            "Copy the selected suggestion's diagnosis and actions into the repair record form"))
        self.copy_button.clicked.connect(lambda: self._choose(self.list.currentItem()))
        self.copy_button.hide()  # shown once someone listens to ``chosen``
        row = QHBoxLayout()
        row.addWidget(self.status, 1)
        row.addWidget(self.copy_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addLayout(row)
        layout.addWidget(self.list, 1)
        self._timer = QTimer(self, singleShot=True, interval=debounce_ms)
        self._timer.timeout.connect(self._ask_when_shown)
        self._text = ""
        self._model: Callable[[], str | None] = lambda: None
        self._exclude: Callable[[], str | None] = lambda: None
        self._generation = 0
        self._pending_text = False
        self.suggestions: list[Suggestion] = []

    # -- what to follow ------------------------------------------------------------------
    def follow(self, edit: QPlainTextEdit, model: Callable[[], str | None] | None = None,
               exclude_order: Callable[[], str | None] | None = None) -> None:
        """Asks again whenever ``edit``'s text changes; ``model()`` and ``exclude_order()``
        are read when the query is sent."""
        if model is not None:
            self._model = model
        if exclude_order is not None:
            self._exclude = exclude_order
        edit.textChanged.connect(lambda: self.ask(edit.toPlainText()))

    def offer_copy(self, target: Callable[[Suggestion], None]) -> None:
        self.chosen.connect(target)
        self.copy_button.show()

    def set_model_source(self, model: Callable[[], str | None]) -> None:
        self._model = model

    def ask(self, text: str) -> None:
        """The newest text: asked about once typing pauses for the debounce time."""
        self._text = text
        self._timer.start()

    def ask_now(self, text: str) -> None:
        self._text = text
        self._timer.stop()
        self._ask_now()

    # -- the round trip ------------------------------------------------------------------
    def _ask_when_shown(self) -> None:
        # nobody sees a hidden panel: it asks when it is shown again
        if self.isVisible():
            self._ask_now()
        else:
            self._pending_text = True

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._pending_text:
            self._pending_text = False
            self._timer.start()

    def _ask_now(self) -> None:
        self._generation += 1
        generation = self._generation
        text = self._text
        if not text.strip():
            self._show(generation, [])
            self.status.setText(tr("Similar repairs appear here as the fault is typed."))
            return
        model, exclude, limit = self._model(), self._exclude(), self.limit
        service = self.ctx.services.knowledge
        self.status.setText(tr("Looking up similar repairs…"))
        try:
            self.ctx.tasks.run(
                lambda: service.similar(text, model, limit, exclude_order_id=exclude),
                partial(self._show, generation), partial(self._failed, generation),
                owner=self)
        except RuntimeError:  # the window is closing and its task runner is shut down
            log.debug("similar repairs not asked: task runner shut down")

    def _show(self, generation: int, found: list[Suggestion]) -> None:
        if generation != self._generation:
            return  # an answer to an older text: the newer one is on its way
        self.suggestions = list(found)
        self.list.clear()
        for s in found:
            item = QListWidgetItem(suggestion_text(s))
            item.setToolTip(suggestion_tip(s))
            item.setData(Qt.ItemDataRole.UserRole, s)
            self.list.addItem(item)
        if found:
            self.status.setText(tr("{count} suggestions", count=len(found)))
            self.list.setCurrentRow(0)
        elif self._text.strip():
            self.status.setText(tr("No similar past repairs."))
        self.copy_button.setEnabled(bool(found))
        self.answered.emit(self.suggestions)

    def _failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        # a background helper shows its trouble quietly: no dialog over the typing
        if not isinstance(error, RuleViolation):
            log.warning("similar repairs failed", exc_info=error)
        self.list.clear()
        self.suggestions = []
        self.status.setText(render(error) if isinstance(error, RuleViolation) else
                            tr("Error: {message}", message=str(error)))
        self.answered.emit([])

    def _choose(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.chosen.emit(item.data(Qt.ItemDataRole.UserRole))
