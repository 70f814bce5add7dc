"""Headless commands (``repair-station [--data-dir D] COMMAND ...``).

Each command lives in its own module with ``register(subparsers)`` that adds its parser and
sets ``handler(args) -> int``. A new area joins by adding its module to ``COMMAND_MODULES``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable

from app.i18n import tr

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
    "app.cli.backup_cmd",
    "app.cli.users_cmd",
    "app.cli.privacy_cmd",
    "app.cli.keys_cmd",
]


def add_commands(parser: argparse.ArgumentParser) -> None:
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    _guard_all(subparsers)


def _guard_all(subparsers: argparse._SubParsersAction) -> None:
    """Every command's handler (nested ones too: ``parts stock``) wrapped by ``_guarded``."""
    for command in subparsers.choices.values():
        handler = command.get_default("handler")
        if handler is not None:
            command.set_defaults(handler=_guarded(handler))
        for action in command._actions:
            if isinstance(action, argparse._SubParsersAction):
                _guard_all(action)


def _guarded(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace],
                                                                         int]:
    """A damaged station database ends every command with the recovery offer and exit code 3,
    never a traceback (``app.services.recovery``); so does data this PC holds no key for
    (``repair-station unlock`` opens it with the recovery key)."""

    def run(args: argparse.Namespace) -> int:
        from app.store.backup_checks import DatabaseDamaged
        from app.store.key_seal import KeySealBroken
        from app.store.sqlite_driver import StoreKeyWrong
        from app.store.store_encryption import StoreKeyMissing

        try:
            return handler(args)
        except (StoreKeyMissing, StoreKeyWrong, KeySealBroken) as exc:
            # this PC cannot open the encrypted data: the recovery key opens it (exit 3)
            from app.i18n import render

            print(tr("Error: {message}", message=render(exc)), file=sys.stderr)
            print(tr("To open it on this PC: repair-station unlock --recovery-key-stdin"),
                  file=sys.stderr)
            return 3
        except DatabaseDamaged as exc:
            from app.paths import DataPaths
            from app.services.recovery import EXIT_DAMAGED, offer_lines, recovery_offer

            offer = recovery_offer(DataPaths(exc.db_path.parent), exc.problem)
            print("\n".join(offer_lines(offer)), file=sys.stderr)
            if offer.backup is not None:
                print(tr("To restore it: repair-station restore \"{path}\"",
                         path=offer.backup.path), file=sys.stderr)
            return EXIT_DAMAGED

    return run
