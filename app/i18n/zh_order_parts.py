"""Simplified Chinese texts of parts on service orders, reservations, old parts and their return shipments: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {}
