"""The README's two set-up commands, as a newcomer copies them: the run command verbatim in a
fresh clone (its own virtual environment, a fresh user data folder, no display), and the test
command is the one `.ci/run` runs."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.i18n import current_language, set_language, tr
from app.paths import DB_FILENAME
from app.store.sqlite_driver import is_plain
from app.ui.display_check import EXIT_NO_DISPLAY, LINUX_QT_PACKAGES, _no_display

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
#: a fresh virtual environment installs PySide6 (about 1-2 min from pip's wheel cache) and
#: the demo fills a station
RUN_TIMEOUT_S = 1800
QT_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "QT_PLUGIN_PATH",
                "QT_QPA_PLATFORM_PLUGIN_PATH", "VIRTUAL_ENV", "PYTHONPATH", "PYTHONHOME")


def readme_commands() -> list[str]:
    """The README's fenced set-up commands (```bash blocks), in order."""
    text = README.read_text(encoding="utf-8")
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", text, flags=re.DOTALL)]


def windows_commands() -> list[str]:
    """The Windows equivalents, shown inline after "On Windows"."""
    text = README.read_text(encoding="utf-8")
    return re.findall(r"`(py -3\.11 -m venv \.venv && [^`]+)`", text)


def ci_test_command() -> str:
    """The last command `.ci/run` runs."""
    lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [ln.strip() for ln in lines if ln.strip() and not ln.lstrip().startswith("#")][-1]


def test_readme_holds_exactly_two_setup_commands_and_their_windows_twins() -> None:
    run, test = readme_commands()
    assert run.startswith("python3 -m venv .venv && ") and "repair-station demo --if-empty" in run
    assert run.endswith("&& .venv/bin/repair-station")
    assert test.startswith("python3 -m venv .venv && ") and "pytest" in test
    win_run, win_test = windows_commands()
    assert win_run.replace(".venv\\Scripts\\", ".venv/bin/").replace("py -3.11", "python3") == run
    assert win_test.replace(".venv\\Scripts\\", ".venv/bin/").replace("py -3.11", "python3") \
        == test


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    assert ci_test_command() == readme_commands()[1]
    assert "python3-venv" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_readme_names_the_qt_runtime_packages() -> None:
    text = README.read_text(encoding="utf-8")
    listed = set(re.search(r"`sudo apt install ([^`]+)`", text).group(1).split())
    assert "python3-venv" in listed
    assert set(LINUX_QT_PACKAGES) <= listed, set(LINUX_QT_PACKAGES) - listed


def _fresh_clone(target: Path) -> Path:
    """A clean clone of this repository (committed files only, as CI's clone)."""
    if (ROOT / ".git").exists():
        subprocess.run(["git", "clone", "-q", "--no-hardlinks", str(ROOT), str(target)],
                       check=True, capture_output=True, timeout=300)
    else:  # an unpacked source archive
        shutil.copytree(ROOT, target, ignore=shutil.ignore_patterns(
            ".venv", "venv", "__pycache__", "*.egg-info", "build", "dist"))
    return target


def _fresh_user_env(home: Path) -> dict[str, str]:
    """This process's environment with a new home and no display or Qt settings; pip keeps
    its wheel cache (the user's), so the install needs no download it did not need before."""
    env = {k: v for k, v in os.environ.items() if k not in QT_VARIABLES}
    if "PIP_CACHE_DIR" not in env:
        env["PIP_CACHE_DIR"] = str(Path.home() / ".cache" / "pip")
    env["HOME"] = str(home)
    env["USERPROFILE"] = str(home)
    for name, sub in (("XDG_DATA_HOME", ".local/share"), ("XDG_CONFIG_HOME", ".config"),
                      ("XDG_CACHE_HOME", ".cache"), ("XDG_STATE_HOME", ".local/state")):
        env[name] = str(home / sub)
    env["LOCALAPPDATA"] = str(home / "AppData" / "Local")
    env["APPDATA"] = str(home / "AppData" / "Roaming")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if sys.platform == "win32":
        # the pre-check is Linux's; a Windows runner may have a desktop, so ask for a
        # platform plugin that is not there and get the same message and code
        env["QT_QPA_PLATFORM"] = "doesnotexist"
    return env


@pytest.mark.slow
def test_readme_run_command_works_verbatim_on_a_fresh_clone(tmp_path: Path) -> None:
    clone = _fresh_clone(tmp_path / "clone")
    home = tmp_path / "home"
    home.mkdir()
    if sys.platform == "win32":
        command = windows_commands()[0]
        shell: list[str] = ["cmd", "/c", command]
    else:
        command = readme_commands()[0]
        shell = ["bash", "-c", command]
    done = subprocess.run(shell, cwd=clone, env=_fresh_user_env(home), capture_output=True,
                          text=True, encoding="utf-8", errors="replace",
                          timeout=RUN_TIMEOUT_S, check=False)
    out, err = done.stdout, done.stderr
    said = f"exit {done.returncode}\n--- stdout\n{out[-3000:]}\n--- stderr\n{err[-5000:]}"

    # the install went into the clone's own virtual environment
    venv_bin = clone / ".venv" / ("Scripts" if sys.platform == "win32" else "bin")
    assert (venv_bin / ("repair-station.exe" if sys.platform == "win32"
                        else "repair-station")).exists(), said
    language = current_language()
    set_language("zh_CN")
    try:
        # the demo filled a station in the fresh user data folder and printed three logins
        ready = tr("Demo station ready in {folder}", folder="").strip()
        assert ready in out, said
        folder = out.split(ready, 1)[1].splitlines()[0].strip()
        if sys.platform != "win32":  # Windows asks the shell for its folders, not HOME
            assert Path(folder).resolve().is_relative_to(home.resolve()), said
        assert (Path(folder) / DB_FILENAME).is_file(), said
        # encrypted at rest, and the recovery key printed once for the manager to keep
        assert not is_plain(Path(folder) / DB_FILENAME), said
        assert re.search(r"(?<![0-9A-Z])[0-9A-Z]{4}(?:-[0-9A-Z]{4}){8}(?![0-9A-Z])", out), said
        logins = [ln for ln in out.splitlines() if f"{tr('password')}: " in ln]
        assert len(logins) == 3, said
        # the window could not open: a clear message in both languages and the documented
        # code, not Qt's abort (a negative return code is a signal) nor its misleading hint
        assert done.returncode == EXIT_NO_DISPLAY, said
        if sys.platform != "win32":
            no_display = _no_display().lines()
            assert len(no_display) == 2 and all(line in err for line in no_display), said
    finally:
        set_language(language)
    for abort in ("Aborted", "core dumped", "is needed to load the Qt xcb platform plugin"):
        assert abort not in err, said
    # the clone stays clean: .venv, the egg-info and caches are ignored
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True,
                            text=True, check=False)
    if status.returncode == 0:
        assert status.stdout.strip() == "", status.stdout
