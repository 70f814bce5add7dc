"""Simplified Chinese texts of the parts screens: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {}
