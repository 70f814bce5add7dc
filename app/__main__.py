"""``repair-station``: parses the arguments, then opens the window or runs a command."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import add_commands
from app.i18n import DEFAULT_LANGUAGE, LANGUAGES, set_language
from app.logs import CLI_LOG_FILE, install_excepthook, setup_logging, stop_logging
from app.paths import DataPaths, default_data_dir


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="repair-station", description="Repair Station 维修站管理 — desktop program"
    )
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="station data folder (default: the user's data folder)")
    parser.add_argument("--lang", choices=LANGUAGES, default=None,
                        help="interface language (default: the one chosen on the settings "
                             "page, else zh_CN)")
    parser.add_argument("--self-test", action="store_true",
                        help="open the main window offscreen, show every page once, exit 0")
    add_commands(parser)
    return parser


def start_language(data_dir: Path | None) -> str:
    """The settings page's choice (language.json in the data folder), read before anything
    opens (Qt's own dialogs, the recovery dialog); zh_CN when none was chosen."""
    from app.services.station_settings import read_language

    root = DataPaths(data_dir or default_data_dir()).root
    return read_language(root) or DEFAULT_LANGUAGE


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    set_language(args.lang or start_language(args.data_dir))
    install_excepthook()
    handler = getattr(args, "handler", None)
    if handler is not None:
        # one log folder for the window and the commands: the station's (rotating, redacted)
        setup_logging(DataPaths(args.data_dir or default_data_dir()).logs,
                      file_name=CLI_LOG_FILE)
        try:
            return int(handler(args) or 0)
        finally:
            stop_logging()
    from app.ui.display_check import find_problems, import_problem, report

    problems = [] if args.self_test else find_problems()  # no display: a message, exit 4
    if problems:
        return report(problems)
    try:
        from app.ui.launch import run_gui  # Qt only when a window is wanted
    except ImportError as exc:  # a library PySide6 links is missing
        problem = import_problem(exc)
        if problem is None:
            raise
        return report([problem])

    return run_gui(data_dir=args.data_dir, self_test=args.self_test)


if __name__ == "__main__":
    sys.exit(main())
