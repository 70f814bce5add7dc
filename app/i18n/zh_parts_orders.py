"""Simplified Chinese texts of orders of parts to head office: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {}
