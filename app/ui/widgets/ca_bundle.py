"""The company CA bundle field of the head-office forms (registering, joining): a path typed
or chosen with 浏览…, empty meaning the system's trusted roots."""

from __future__ import annotations

from PySide6.QtWidgets import QFileDialog, QHBoxLayout, QLineEdit, QPushButton, QWidget

from app.i18n import tr


class CaBundleField(QWidget):
    """``edit`` holds the path; ``browse`` picks a PEM file into it."""

    def __init__(self, object_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(objectName=object_name)
        self.edit.setPlaceholderText(tr("optional: company CA bundle (PEM)"))
        self.browse = QPushButton(tr("Browse…"))
        self.browse.clicked.connect(self._browse)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        layout.addWidget(self.browse)

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(self, tr("CA bundle"), "",
                                              "PEM (*.pem *.crt *.cer);;* (*)")
        if path:
            self.edit.setText(path)
