"""Headless commands (``repair-station [--data-dir D] COMMAND ...``).

Each command lives in its own module with ``register(subparsers)`` that adds its parser and
sets ``handler(args) -> int``. A new area joins by adding its module to ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib

COMMAND_MODULES = [
    "app.cli.demo_cmd",
    "app.cli.check_cmd",
    "app.cli.print_cmd",
    "app.cli.sync_cmd",
    "app.cli.parts_cmd",
    "app.cli.policy_cmd",
    "app.cli.knowledge_cmd",
    "app.cli.report_cmd",
    "app.cli.maintenance_cmd",
    "app.cli.search_cmd",
]


def add_commands(parser: argparse.ArgumentParser) -> None:
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
