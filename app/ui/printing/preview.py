"""Print preview: the document's pages as images (pdfium) with page navigation, zoom, the
paper size, and buttons to print or save what is shown. Pages are built and rendered on the
slow pool; the dialog only shows finished images.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.i18n import tr
from app.printing.data import OrderSheet, Paper
from app.ui.printing.pages import page_count, render_pages

#: pages are rendered once at this resolution; zoom scales the image
PREVIEW_DPI = 120
ZOOMS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0)


class PreviewDialog(QDialog):
    def __init__(self, controller, sheet: OrderSheet, document: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.sheet = sheet
        self.document = document
        self.pdf: bytes | None = None
        self.pages: dict[int, QImage] = {}
        self.count = 0
        self.index = 0
        self.zoom = 1.0
        self._generation = 0
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        title = tr(controller.ctx.services.reports.spec(document).title)
        self.setWindowTitle(tr("Print preview — {title} {number}", title=title,
                               number=sheet.number))
        self.resize(820, 900)

        self.prev_button = QPushButton(tr("Previous page"), objectName="preview_prev")
        self.next_button = QPushButton(tr("Next page"), objectName="preview_next")
        self.page_label = QLabel(objectName="preview_page_label")
        self.zoom_out = QPushButton(tr("Zoom out"), objectName="preview_zoom_out")
        self.zoom_in = QPushButton(tr("Zoom in"), objectName="preview_zoom_in")
        self.fit_button = QPushButton(tr("Fit width"), objectName="preview_fit")
        self.paper_box = QComboBox(objectName="preview_paper")
        # each document's own papers: the orders' A4/A5, the receipt's 80 mm roll
        papers = controller.ctx.services.reports.spec(document).papers
        for paper in papers:
            self.paper_box.addItem(paper.value, paper.value)
        current = controller.paper()
        self.paper_box.setCurrentIndex(papers.index(current) if current in papers else 0)
        self.print_button = QPushButton(tr("Print…"), objectName="preview_print")
        self.save_button = QPushButton(tr("Save as PDF…"), objectName="preview_save")

        self.image_label = QLabel(tr("Building the document…"), objectName="preview_image")
        self.image_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.scroll = QScrollArea()
        self.scroll.setWidget(self.image_label)
        self.scroll.setWidgetResizable(True)
        self.scroll.setAlignment(Qt.AlignmentFlag.AlignCenter)

        bar = QHBoxLayout()
        for widget in (self.prev_button, self.page_label, self.next_button, self.zoom_out,
                       self.zoom_in, self.fit_button, QLabel(tr("Paper")), self.paper_box):
            bar.addWidget(widget)
        bar.addStretch(1)
        bar.addWidget(self.print_button)
        bar.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.scroll, 1)

        # bound methods, not closures over self: the dialog is freed as soon as it closes
        self.prev_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.zoom_in.clicked.connect(self.zoom_step_in)
        self.zoom_out.clicked.connect(self.zoom_step_out)
        self.fit_button.clicked.connect(self.fit_width)
        self.paper_box.activated.connect(self._paper_changed)
        self.print_button.clicked.connect(self.print_shown)
        self.save_button.clicked.connect(self.save_shown)
        self._update_buttons()
        self.rebuild()

    # -- buttons ------------------------------------------------------------------------------
    def previous_page(self) -> None:
        self.show_page(self.index - 1)

    def next_page(self) -> None:
        self.show_page(self.index + 1)

    def zoom_step_in(self) -> None:
        self.set_zoom(_step(self.zoom, +1))

    def zoom_step_out(self) -> None:
        self.set_zoom(_step(self.zoom, -1))

    def print_shown(self) -> None:
        self.controller.print_sheet(self.sheet, self.document)

    def save_shown(self) -> None:
        self.controller.save_sheet(self.sheet, self.document)

    # -- building -----------------------------------------------------------------------------
    def paper(self) -> Paper:
        return Paper(self.paper_box.currentData())

    def rebuild(self) -> None:
        """Builds the PDF for the chosen paper, then shows its first page."""
        self._generation += 1
        generation = self._generation
        self.pdf, self.pages, self.count = None, {}, 0
        self._update_buttons()

        reports, sheet, document, paper = (self.controller.ctx.services.reports, self.sheet,
                                           self.document, self.paper())

        def work() -> tuple[bytes, int, QImage]:
            pdf = reports.pdf(document, sheet, paper)
            return pdf, page_count(pdf), render_pages(pdf, PREVIEW_DPI, 0, 0)[0]

        def built(result: tuple[bytes, int, QImage]) -> None:
            if generation == self._generation:
                self.pdf, self.count, self.pages[0] = result
                self.show_page(0)
                if generation == 1:
                    self.fit_width()  # the whole width of the form at first sight

        self.controller.ctx.tasks.run(work, built,
                                      lambda exc: self.controller.report_failure("preview", exc),
                                      owner=self, slow=True)

    def _paper_changed(self) -> None:
        self.controller.set_paper(self.paper())
        self.rebuild()

    # -- showing ------------------------------------------------------------------------------
    def show_page(self, index: int) -> None:
        if self.pdf is None or not 0 <= index < self.count:
            return
        self.index = index
        self._update_buttons()
        if index in self.pages:
            self._paint()
            return
        pdf, generation = self.pdf, self._generation

        def rendered(images: list[QImage]) -> None:
            if generation == self._generation:
                self.pages[index] = images[0]
                if index == self.index:
                    self._paint()

        self.controller.ctx.tasks.run(lambda: render_pages(pdf, PREVIEW_DPI, index, index),
                                      rendered, owner=self, slow=True)

    def current_image(self) -> QImage | None:
        return self.pages.get(self.index)

    def set_zoom(self, zoom: float) -> None:
        self.zoom = max(ZOOMS[0], min(ZOOMS[-1], zoom))
        self._paint()

    def fit_width(self) -> None:
        image = self.current_image()
        if image is not None and image.width():
            self.set_zoom((self.scroll.viewport().width() - 8) / image.width())

    def _paint(self) -> None:
        image = self.current_image()
        if image is None:
            return
        pixmap = QPixmap.fromImage(image)
        if self.zoom != 1.0:
            pixmap = pixmap.scaledToWidth(max(1, int(image.width() * self.zoom)),
                                          Qt.TransformationMode.SmoothTransformation)
        self.image_label.setPixmap(pixmap)

    def _update_buttons(self) -> None:
        ready = self.pdf is not None
        self.page_label.setText(tr("Page {page} of {total}", page=self.index + 1,
                                   total=self.count) if ready else "")
        self.prev_button.setEnabled(ready and self.index > 0)
        self.next_button.setEnabled(ready and self.index < self.count - 1)
        for button in (self.print_button, self.save_button, self.zoom_in, self.zoom_out,
                       self.fit_button):
            button.setEnabled(ready)


def _step(zoom: float, direction: int) -> float:
    if direction > 0:
        return next((z for z in ZOOMS if z > zoom + 1e-6), ZOOMS[-1])
    return next((z for z in reversed(ZOOMS) if z < zoom - 1e-6), ZOOMS[0])
