"""A start without a display or without a loadable Qt platform plugin ends with a message in
Chinese and English and exit code 4 (app.ui.display_check), never Qt's abort."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from app.i18n import set_language
from app.ui import display_check
from app.ui.display_check import (
    EXIT_NO_DISPLAY,
    find_problems,
    import_problem,
    missing_libraries,
    plugin_file,
    requested_platforms,
)

ROOT = Path(__file__).resolve().parent.parent
PYSIDE = Path(importlib.util.find_spec("PySide6").submodule_search_locations[0])
QT_VARIABLES = ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "QT_PLUGIN_PATH",
                "QT_QPA_PLATFORM_PLUGIN_PATH")
MISLEADING = "is needed to load the Qt xcb platform plugin"


def _clean(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in QT_VARIABLES}
    env.update(extra)
    return env


def _start(tmp_path: Path, **extra: str) -> subprocess.CompletedProcess[str]:
    """``python -m app`` (the window) on a fresh data folder, in its own process."""
    return subprocess.run(
        [sys.executable, "-m", "app", "--data-dir", str(tmp_path / "station")], cwd=ROOT,
        env=_clean(**extra), capture_output=True, text=True, encoding="utf-8", timeout=120,
        check=False)


def _no_abort(done: subprocess.CompletedProcess[str]) -> str:
    said = f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert done.returncode == EXIT_NO_DISPLAY, said
    for abort in ("Aborted", "core dumped", MISLEADING):
        assert abort not in done.stderr, said
    return said


@pytest.fixture(autouse=True)
def _chinese() -> None:
    set_language("zh_CN")
    yield
    set_language("zh_CN")


def test_no_display_ends_with_the_message_in_both_languages_and_code_4(tmp_path: Path) -> None:
    done = _start(tmp_path)
    said = _no_abort(done)
    assert "没有可用的显示器" in done.stderr, said
    assert "No display is available" in done.stderr, said
    assert not (tmp_path / "station" / "station.sqlite3").exists()  # nothing was opened


def test_english_interface_says_it_once(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "app", "--lang", "en", "--data-dir", str(tmp_path / "s")],
        cwd=ROOT, env=_clean(), capture_output=True, text=True, encoding="utf-8", timeout=120,
        check=False)
    _no_abort(done)
    assert done.stderr.count("No display is available") == 1
    assert "没有可用的显示器" not in done.stderr


def test_a_platform_plugin_that_does_not_exist_ends_with_the_message(tmp_path: Path) -> None:
    done = _start(tmp_path, QT_QPA_PLATFORM="doesnotexist")
    said = _no_abort(done)  # caught by the fatal-message handler around QApplication
    assert "窗口无法打开" in done.stderr and "The window cannot open" in done.stderr, said
    assert "doesnotexist" in done.stderr, said


def test_a_plugin_path_pointing_nowhere_ends_with_the_message(tmp_path: Path) -> None:
    nowhere = tmp_path / "no-plugins"
    nowhere.mkdir()
    done = _start(tmp_path, DISPLAY=":0", QT_QPA_PLATFORM="xcb",
                  QT_QPA_PLATFORM_PLUGIN_PATH=str(nowhere), QT_PLUGIN_PATH=str(nowhere))
    _no_abort(done)


def test_a_display_that_does_not_answer_ends_with_the_message(tmp_path: Path) -> None:
    done = _start(tmp_path, DISPLAY=":97")
    said = _no_abort(done)
    assert "The window cannot open" in done.stderr or "Qt cannot load" in done.stderr, said


def test_offscreen_and_the_self_test_platforms_need_no_display() -> None:
    for platform in ("offscreen", "minimal", "vnc:size=800x600", "offscreen;minimal"):
        assert find_problems(_clean(QT_QPA_PLATFORM=platform), "linux") == []
    assert find_problems(_clean(), "win32") == []
    assert find_problems(_clean(), "darwin") == []


def test_which_environments_have_no_display(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(display_check, "missing_libraries", lambda *_a, **_k: [])
    none = find_problems(_clean(), "linux")
    assert [p.template for p in none] == [display_check._no_display().template]
    assert find_problems(_clean(DISPLAY=":0"), "linux") == []
    assert find_problems(_clean(WAYLAND_DISPLAY="wayland-0"), "linux") == []
    assert len(find_problems(_clean(QT_QPA_PLATFORM="xcb", WAYLAND_DISPLAY="w"), "linux")) == 1
    assert find_problems(_clean(QT_QPA_PLATFORM="wayland"), "linux") == []
    assert requested_platforms({"QT_QPA_PLATFORM": "xcb:nomitshm; wayland"}) == ["xcb", "wayland"]


def test_a_missing_library_is_named_with_its_package_never_another(
        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(display_check, "missing_libraries",
                        lambda *_a, **_k: ["libxcb-icccm.so.4", "libxcb-keysyms.so.1"])
    (problem,) = find_problems(_clean(DISPLAY=":0"), "linux")
    zh, en = problem.lines()
    assert "sudo apt install libxcb-icccm4 libxcb-keysyms1" in en
    assert "libxcb-icccm.so.4、libxcb-keysyms.so.1" in zh and "缺少" in zh
    assert "cursor" not in zh + en  # Qt's hint names xcb-cursor0 whatever is missing


def test_a_wayland_session_or_a_fallback_list_is_left_to_qt(
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Qt tries wayland then xcb there: xcb's missing libraries must not refuse the start."""
    monkeypatch.setattr(display_check, "missing_libraries", lambda *_a, **_k: ["libxcb.so.1"])
    assert find_problems(_clean(DISPLAY=":0", WAYLAND_DISPLAY="wayland-0"), "linux") == []
    assert find_problems(_clean(DISPLAY=":0", QT_QPA_PLATFORM="wayland;xcb"), "linux") == []
    assert len(find_problems(_clean(DISPLAY=":0"), "linux")) == 1


def test_ldd_finds_what_a_plugin_cannot_load(tmp_path: Path) -> None:
    """A copy of the real xcb plugin whose libxcb-cursor.so.0 reads libxcb-cursor.so.9: the
    probe reports exactly that library (the Qt libraries found through LD_LIBRARY_PATH)."""
    real = PYSIDE / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    data = real.read_bytes()
    needed = b"libxcb-cursor.so.0\x00"
    if needed not in data:  # the plugin itself does not name it: patch a library it does
        needed = b"libxkbcommon-x11.so.0\x00"
    broken = tmp_path / "platforms" / "libqxcb.so"
    broken.parent.mkdir()
    broken.write_bytes(data.replace(needed, needed[:-3] + b".9\x00"))
    env = _clean(DISPLAY=":0", QT_QPA_PLATFORM_PLUGIN_PATH=str(broken.parent),
                 LD_LIBRARY_PATH=str(PYSIDE / "Qt" / "lib"))
    assert plugin_file("xcb", env) == broken
    patched = needed[:-3].decode() + ".9"
    missing = missing_libraries(broken, env)
    assert patched in missing
    assert set(missing) == set(missing_libraries(real, env)) | {patched}
    problems = find_problems(env, "linux")
    assert any(patched in line for p in problems for line in p.lines())


def test_the_real_plugin_names_only_libraries_ldd_cannot_find() -> None:
    real = PYSIDE / "Qt" / "plugins" / "platforms" / "libqxcb.so"
    done = subprocess.run([shutil.which("ldd"), str(real)], capture_output=True, text=True,
                          check=False)
    expected = sorted({ln.split()[0] for ln in done.stdout.splitlines() if "not found" in ln})
    assert missing_libraries(real) == expected


def test_a_missing_gui_library_at_import_is_named() -> None:
    exc = ImportError("libEGL.so.1: cannot open shared object file: No such file or directory")
    problem = import_problem(exc)
    assert problem is not None and "sudo apt install libegl1" in problem.english()
    assert import_problem(ImportError("No module named 'PySide6'")) is None
