"""The PySide6 desktop window: shell, task runner, extension points and one sub-package per area.

Nothing outside ``app.ui`` imports Qt; widgets reach data only through services run by the
task runner (``app.ui.tasks``).
"""
