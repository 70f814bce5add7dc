"""Simplified Chinese texts of the printing area (English source -> 简体中文)."""

TEXT_ZH: dict[str, str] = {}
