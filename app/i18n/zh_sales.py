"""Simplified Chinese texts of counter sales and stock counts: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {}
