"""One quality feedback card on screen: every field of the trade's card, the six cause
categories as a row of radio buttons, the photo strip (add / remove, thumbnails decoded off
the GUI thread), 保存 (Ctrl+S), 提交, and the card on paper (打印预览 / 打印 / 另存为PDF
through the window's printing controller).

Every refusal of the service shows at once, each under the field it names. ``dirty()`` tells
whether the typed fields differ from the card as last loaded; the page and the dialog ask
before they drop such edits (``FeedbackPrompts``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import shiboken6
from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QImage, QKeySequence, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from app.domain import feedback as fb
from app.domain.errors import RuleViolation
from app.domain.feedback import CAUSE_TEXT, STATUS_TEXT, CauseCategory
from app.domain.permissions import Permission
from app.i18n import render, tr
from app.services.feedback import CardFields, FeedbackDetail, problems_of
from app.ui.extensions import UiContext
from app.ui.formatting import local_time
from app.ui.orders.photo_viewer import thumbnail
from app.ui.parts.printing import PartsPrinter
from app.ui.parts.sales_list import busy_bar
from app.ui.widgets.forms import ErrorForm
from app.ui.widgets.text_field import MultiLineField

DOCUMENT = "feedback-card"
THUMB = QSize(120, 90)
IMAGE_FILTER = "*.jpg *.jpeg *.png"
#: (field, English label, one line?, limit) of the texts, in the card's order
TEXTS = (
    ("product_model", "Product model", True, fb.MAX_MODEL),
    ("serial_no", "Serial no.", True, fb.MAX_SERIAL),
    ("production_info", "Production date / batch", True, fb.MAX_PRODUCTION_INFO),
    ("fault_phenomenon", "Fault phenomenon", False, fb.MAX_PHENOMENON),
    ("faulty_part", "Faulty part", True, fb.MAX_FAULTY_PART),
    ("use_environment", "Use environment", True, fb.MAX_ENVIRONMENT),
    ("customer_opinion", "Customer's opinion", False, fb.MAX_OPINION),
)


class FeedbackPrompts:
    """The questions the screens ask; tests answer them without modal dialogs."""

    def discard_changes(self, parent: QWidget) -> bool:
        answer = QMessageBox.question(
            parent, tr("Quality feedback"),
            tr("The feedback card has changes that are not saved. Discard them?"),
            QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel)
        return answer == QMessageBox.StandardButton.Discard

    def photo_file(self, parent: QWidget) -> Path | None:
        name, _ = QFileDialog.getOpenFileName(parent, tr("Add photo"), "",
                                              f"{tr('Images')} ({IMAGE_FILTER})")
        return Path(name) if name else None


def load_thumbnail(read: Callable[[str], bytes], digest: str) -> QImage:
    """On a worker: the photo read (decrypted) through the service and scaled; QImage (unlike
    QPixmap) may be made off the GUI thread."""
    return thumbnail(read, digest, THUMB)


class MultiErrorForm(ErrorForm):
    """An ErrorForm that shows every problem of an error at once, each by its field."""

    def show_errors(self, error: BaseException) -> None:
        self.clear_errors()
        general: list[str] = []
        first: QWidget | None = None
        for problem in problems_of(error):
            field = getattr(problem, "field", None)
            if self.knows(field):
                widget, label = self._rows[field]
                label.setText(render(problem))
                label.show()
                widget.setProperty("invalid", True)
                # by name: a row of radio buttons is framed, not each button in it
                widget.setStyleSheet(f"#{widget.objectName()} {{ border: 1px solid #c62828; }}"
                                     if widget.objectName() else "border: 1px solid #c62828;")
                first = first or widget
            else:
                general.append(render(problem))
        if general:
            self.general.setText("\n".join(general))
            self.general.show()
        if first is not None:
            first.setFocus()

    def shown_errors(self) -> dict[str, str]:
        """Field -> message of every error on show (tests, screen readers)."""
        out = {name: label.text() for name, (_w, label) in self._rows.items()
               if not label.isHidden()}
        if not self.general.isHidden():
            out[""] = self.general.text()
        return out


class FeedbackForm(QWidget):
    #: the card was (re)loaded or written (FeedbackDetail)
    loaded = Signal(object)
    #: a write was refused (the error)
    refused = Signal(object)

    def __init__(self, ctx: UiContext, prompts: FeedbackPrompts | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.prompts = prompts or FeedbackPrompts()
        self.detail: FeedbackDetail | None = None
        self.heading = QLabel(objectName="feedback_heading")
        self.heading.setStyleSheet("font-weight: bold;")
        self.heading.setWordWrap(True)
        self.form = MultiErrorForm()
        self.inputs: dict[str, QLineEdit | QPlainTextEdit] = {}
        for name, label, one_line, limit in TEXTS:
            if one_line:
                box: QLineEdit | QPlainTextEdit = QLineEdit(objectName=f"feedback_{name}")
                box.setMaxLength(limit)
            else:
                box = MultiLineField(objectName=f"feedback_{name}")
                box.setTabChangesFocus(True)
                box.setMinimumHeight(64)
            self.inputs[name] = box
            if name == "use_environment":
                self.form.add_row("Cause category", self._cause_row(), "cause_category")
            self.form.add_row(label, box, name)

        self.photos = QListWidget(objectName="feedback_photos")
        self.photos.setViewMode(QListView.ViewMode.IconMode)
        self.photos.setFlow(QListView.Flow.LeftToRight)
        self.photos.setWrapping(False)
        self.photos.setIconSize(THUMB)
        self.photos.setFixedHeight(THUMB.height() + 44)
        self.photos.setGridSize(QSize(THUMB.width() + 16, THUMB.height() + 30))
        self.add_photo_button = QPushButton(tr("Add photo…"), objectName="feedback_add_photo")
        self.add_photo_button.clicked.connect(self.choose_photo)
        self.remove_photo_button = QPushButton(tr("Remove photo"),
                                               objectName="feedback_remove_photo")
        self.remove_photo_button.clicked.connect(self.remove_selected_photo)
        strip = QWidget()
        strip_layout = QHBoxLayout(strip)
        strip_layout.setContentsMargins(0, 0, 0, 0)
        strip_layout.addWidget(self.photos, 1)
        photo_buttons = QVBoxLayout()
        photo_buttons.addWidget(self.add_photo_button)
        photo_buttons.addWidget(self.remove_photo_button)
        photo_buttons.addStretch(1)
        strip_layout.addLayout(photo_buttons)
        self.form.add_row("Photos", strip, "photos", "file", "photo_id")
        self.form.add_general_error_row()

        self.save_button = QPushButton(tr("Save"), objectName="feedback_save")
        self.save_button.setToolTip("Ctrl+S")
        self.save_button.clicked.connect(self.save)
        self.submit_button = QPushButton(tr("Submit"),
                                         objectName="feedback_submit")
        self.submit_button.clicked.connect(self.submit)
        QShortcut(QKeySequence.StandardKey.Save, self, activated=self.save,
                  context=Qt.ShortcutContext.WidgetWithChildrenShortcut)
        self.printer = PartsPrinter(ctx, parent=self)
        self.busy = busy_bar("feedback_busy")
        self.printer.busy.connect(self.busy.setVisible)
        self.paper_buttons: list[QPushButton] = []
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.submit_button)
        buttons.addStretch(1)
        for key, verb, method in (("preview", "Print preview", self.printer.preview),
                                  ("print", "Print", self.printer.print_paper),
                                  ("save_pdf", "Save as PDF", self.printer.save)):
            button = QPushButton(tr(verb), objectName=f"feedback_{key}")
            button.clicked.connect(lambda _=False, m=method: self._paper(m))
            self.paper_buttons.append(button)
            buttons.addWidget(button)
        buttons.addWidget(self.busy)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form, 1)
        layout.addLayout(buttons)
        self.show_card(None)

    def _cause_row(self) -> QWidget:
        row = QWidget(objectName="feedback_cause_category")
        row.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)  # so a border shows
        # two rows of three: the form stays narrow beside the list
        box = QGridLayout(row)
        box.setContentsMargins(4, 2, 4, 2)
        box.setHorizontalSpacing(16)
        self.causes = QButtonGroup(self)
        self.causes.setExclusive(True)
        self.cause_buttons: dict[CauseCategory, QRadioButton] = {}
        for n, cause in enumerate(CauseCategory):
            button = QRadioButton(tr(CAUSE_TEXT[cause]), objectName=f"cause_{cause.value}")
            self.causes.addButton(button)
            self.cause_buttons[cause] = button
            box.addWidget(button, n // 3, n % 3)
        box.setColumnStretch(3, 1)
        return row

    # -- what is on screen --------------------------------------------------------------------
    def fields(self) -> CardFields:
        values = {name: (box.text() if isinstance(box, QLineEdit) else box.toPlainText())
                  for name, box in self.inputs.items()}
        chosen = next((c for c, b in self.cause_buttons.items() if b.isChecked()), None)
        return CardFields(cause_category=chosen, **values)

    def dirty(self) -> bool:
        if self.detail is None or not self.detail.editable:
            return False
        return self.fields() != self.detail.fields

    def show_card(self, detail: FeedbackDetail | None, *, keep_typed: bool = False) -> None:
        """Shows ``detail``; ``keep_typed`` keeps the fields as typed (after a photo change,
        whose answer holds the stored fields, not the edits in progress)."""
        typed = self.fields() if keep_typed else None
        self.detail = detail
        self.form.clear_errors()
        # who may change which card is the service's rule: a refusal shows by its field
        editable = detail is not None and detail.editable
        if detail is None:
            self.heading.setText(tr("Choose a feedback card, or start a new one."))
            self._fill(CardFields())
        else:
            parts = [detail.number, tr(STATUS_TEXT[detail.status])]
            if detail.order_number:
                parts.append(tr("from order {number}", number=detail.order_number))
            parts.append(tr("filled in by {name} {when}", name=detail.created_by,
                            when=local_time(detail.created_at)))
            if detail.submitted_at is not None:
                parts.append(tr("submitted {when}", when=local_time(detail.submitted_at)))
            self.heading.setText("  ".join(p for p in parts if p))
            self._fill(typed or detail.fields)
        for box in self.inputs.values():
            box.setReadOnly(not editable)
        for button in self.cause_buttons.values():
            # read-only rather than disabled, so the chosen cause stays easy to read
            button.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, not editable)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus if editable
                                  else Qt.FocusPolicy.NoFocus)
        self._show_photos(detail)
        full = detail is not None and len(detail.photos) >= fb.MAX_PHOTOS
        self.add_photo_button.setEnabled(editable and not full)
        self.remove_photo_button.setEnabled(editable and bool(detail and detail.photos))
        self.save_button.setEnabled(editable)
        self.submit_button.setEnabled(editable and self.ctx.actor.may(Permission.FEEDBACK_SUBMIT))
        for button in self.paper_buttons:
            button.setEnabled(detail is not None)

    def _fill(self, card: CardFields) -> None:
        for name, box in self.inputs.items():
            value = getattr(card, name)
            if isinstance(box, QLineEdit):
                box.setText(value)
                box.setCursorPosition(0)
            else:
                box.setPlainText(value)
        self.causes.setExclusive(False)
        for cause, button in self.cause_buttons.items():
            button.setChecked(cause is card.cause_category)
        self.causes.setExclusive(True)

    def _show_photos(self, detail: FeedbackDetail | None) -> None:
        self.photos.clear()
        for n, photo in enumerate(detail.photos if detail else (), start=1):
            item = QListWidgetItem(tr("Photo {n}", n=n))
            item.setData(Qt.ItemDataRole.UserRole, photo.id)
            item.setToolTip(f"{photo.filename} ({photo.size // 1024 + 1} KB)")
            self.photos.addItem(item)
            read, digest = self.ctx.services.feedback.read_photo, photo.sha256
            self.ctx.tasks.run(lambda r=read, d=digest: load_thumbnail(r, d),
                               lambda image, i=item: self._set_thumbnail(i, image),
                               owner=self.photos, slow=True)

    def _set_thumbnail(self, item: QListWidgetItem, image: QImage) -> None:
        if not image.isNull() and shiboken6.isValid(item):
            item.setIcon(QIcon(QPixmap.fromImage(image)))

    # -- writes -------------------------------------------------------------------------------
    def write(self, call, *, keep_typed: bool = False) -> None:
        self.form.clear_errors()
        self.ctx.tasks.run(call, lambda d: self._written(d, keep_typed), self._refused,
                           owner=self)

    def _written(self, detail: FeedbackDetail, keep_typed: bool) -> None:
        self.show_card(detail, keep_typed=keep_typed)
        self.ctx.status_message(tr("Feedback card {number} saved.", number=detail.number))
        self.loaded.emit(detail)

    def _refused(self, error: BaseException) -> None:
        self.form.show_errors(error)
        self.refused.emit(error)

    def load(self, card_id: str) -> None:
        service = self.ctx.services.feedback

        def shown(detail: FeedbackDetail) -> None:
            self.show_card(detail)
            self.loaded.emit(detail)

        self.ctx.tasks.run(lambda: service.detail(card_id), shown, self._refused, owner=self)

    def save(self) -> None:
        d = self.detail
        if d is None or not self.save_button.isEnabled():
            return
        service, actor, card = self.ctx.services.feedback, self.ctx.actor, self.fields()
        self.write(lambda: service.save(actor, d.id, card, d.revision))

    def submit(self) -> None:
        """Saves what is typed, then submits it: one refusal names every field to mend."""
        d = self.detail
        if d is None:
            return
        service, actor, card = self.ctx.services.feedback, self.ctx.actor, self.fields()

        def work() -> tuple[FeedbackDetail, RuleViolation | None]:
            saved = service.save(actor, d.id, card, d.revision) if card != d.fields else d
            try:
                return service.submit(actor, d.id, saved.revision), None
            except RuleViolation as err:  # saved, not submitted: show the saved card
                return saved, err

        def done(result: tuple[FeedbackDetail, RuleViolation | None]) -> None:
            detail, error = result
            if error is None:
                self._written(detail, False)
                return
            self.show_card(detail)
            self._refused(error)

        self.form.clear_errors()
        self.ctx.tasks.run(work, done, self._refused, owner=self)

    def choose_photo(self) -> None:
        path = self.prompts.photo_file(self)
        if path is not None:
            self.add_photo(path)

    def add_photo(self, path: Path) -> None:
        d = self.detail
        if d is None:
            return
        service, actor = self.ctx.services.feedback, self.ctx.actor
        self.write(lambda: service.attach_photo(actor, d.id, path, d.revision),
                    keep_typed=True)

    def remove_selected_photo(self) -> None:
        d, item = self.detail, self.photos.currentItem()
        if d is None or item is None:
            return
        service, actor = self.ctx.services.feedback, self.ctx.actor
        photo_id = item.data(Qt.ItemDataRole.UserRole)
        self.write(lambda: service.remove_photo(actor, d.id, photo_id, d.revision),
                    keep_typed=True)

    def _paper(self, method) -> None:
        if self.detail is not None:
            method(DOCUMENT, self.detail.number)
