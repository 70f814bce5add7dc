"""Simplified Chinese texts of the ui area (English source -> 简体中文)."""

TEXT_ZH: dict[str, str] = {
    # task runner
    "Cancel": "取消",
}
