"""The program starts in the language chosen on the settings page (language.json in the data
folder) unless ``--lang`` says otherwise; ``--lang zh_TW`` is accepted because zh_TW has a
catalogue folder."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.__main__ import build_parser, start_language


def test_start_language_is_the_settings_choice(tmp_path: Path) -> None:
    assert start_language(tmp_path) == "zh_CN"  # none chosen
    (tmp_path / "language.json").write_text(json.dumps({"language": "zh_TW"}))
    assert start_language(tmp_path) == "zh_TW"
    (tmp_path / "language.json").write_text(json.dumps({"language": "klingon"}))
    assert start_language(tmp_path) == "zh_CN"


def test_lang_option_takes_every_catalogue_and_defaults_to_the_settings() -> None:
    parser = build_parser()
    assert parser.parse_args(["--lang", "zh_TW"]).lang == "zh_TW"
    assert parser.parse_args([]).lang is None
    with pytest.raises(SystemExit):
        parser.parse_args(["--lang", "fr"])
