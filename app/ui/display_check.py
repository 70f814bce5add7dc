"""Before the window: is there a display, and can Qt load its platform plugin? (Qt-free.)

Without a display, or with a plugin library missing, Qt ends the process with ``abort()``
and a message that misleads (Qt 6 says "xcb-cursor0 is needed" whatever library is
missing). Three guards, from the cheapest, end such a start with a message in Chinese and
English and exit code ``EXIT_NO_DISPLAY`` instead:

1. ``find_problems()`` before Qt is imported (Linux only): no ``DISPLAY``/``WAYLAND_DISPLAY``
   for a windowed platform, and the libraries the platform plugin needs that the dynamic
   loader cannot find (``ldd`` on the plugin, a few milliseconds; each missing library is
   named with its Debian/Ubuntu package, so the message never names a package that is
   installed). A probe process that creates a QApplication would see more but costs a second
   Qt start on every launch.
2. ``import_problem(exc)``: importing PySide6's GUI modules fails when a library they link
   (libEGL, libGL, libfontconfig...) is missing.
3. ``qt_fatal_problem(message)``: what guard 1 cannot see (an unknown plugin name, a display
   that is set but does not answer) reaches Qt's fatal message, which ``app.ui.qt_app``
   catches with a message handler while the QApplication is created.
"""

from __future__ import annotations

import importlib.util
import logging
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from app.i18n import SOURCE_LANGUAGE, current_language, tr

log = logging.getLogger(__name__)

#: the exit code of a start that found no usable display (documented in README.md)
EXIT_NO_DISPLAY = 4

#: the libraries Qt 6's xcb (X11) platform plugin loads from the system, by Debian/Ubuntu
#: package (``ldd .../PySide6/Qt/plugins/platforms/libqxcb.so``, PySide6 6.11)
SONAME_PACKAGES: dict[str, str] = {
    "libEGL.so.1": "libegl1",
    "libGL.so.1": "libgl1",
    "libOpenGL.so.0": "libopengl0",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libX11.so.6": "libx11-6",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libxcb.so.1": "libxcb1",
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libwayland-client.so.0": "libwayland-client0",
    "libwayland-cursor.so.0": "libwayland-cursor0",
    "libwayland-egl.so.1": "libwayland-egl1",
}
#: what a Linux desktop installs for the program's window (README.md names the same list)
LINUX_QT_PACKAGES: tuple[str, ...] = tuple(sorted(
    set(SONAME_PACKAGES.values()) - {"libopengl0", "libwayland-client0", "libwayland-cursor0",
                                     "libwayland-egl1"}))

#: platforms that draw without a display
HEADLESS = frozenset({"offscreen", "minimal", "minimalegl", "vnc", "linuxfb", "eglfs",
                      "vkkhrdisplay"})
LDD_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class DisplayProblem:
    """One reason the window cannot open: an English source template and its values."""

    template: str
    params: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def tr(cls, template: str, **params: Any) -> DisplayProblem:
        """Named like ``app.i18n.tr`` so the text extractor finds the template."""
        return cls(template, params)

    def english(self) -> str:
        return self.template.format(**{k: _plain(v) for k, v in self.params.items()})

    def lines(self) -> list[str]:
        """The text in the current language, then in English (once when they are one)."""
        local = tr(self.template, **self.params)
        english = self.english()
        if current_language() == SOURCE_LANGUAGE or local == english:
            return [english]
        return [local, english]


def _plain(value: Any) -> str:
    if isinstance(value, list | tuple):
        return ", ".join(str(v) for v in value)
    return str(value)


def _no_display() -> DisplayProblem:
    return DisplayProblem.tr(
        "No display is available (neither DISPLAY nor WAYLAND_DISPLAY is set), so the window "
        "cannot open. Start Repair Station in a desktop session; commands such as "
        "“repair-station demo” or “repair-station backup” work without a display.")


def _missing(platform: str, libraries: list[str]) -> DisplayProblem:
    packages = sorted({SONAME_PACKAGES[s] for s in libraries if s in SONAME_PACKAGES})
    if packages:
        return DisplayProblem.tr(
            "Qt cannot load its “{platform}” display plugin: these libraries are missing: "
            "{libraries}. On Debian/Ubuntu install them with: sudo apt install {packages}",
            platform=platform, libraries=libraries, packages=" ".join(packages))
    return DisplayProblem.tr(
        "Qt cannot load its “{platform}” display plugin: these libraries are missing: "
        "{libraries}.", platform=platform, libraries=libraries)


def requested_platforms(env: Mapping[str, str]) -> list[str]:
    """``QT_QPA_PLATFORM``'s names in Qt's order (``xcb;wayland``, ``vnc:size=800x600``)."""
    raw = env.get("QT_QPA_PLATFORM", "").strip()
    return [part.split(":", 1)[0].strip() for part in raw.split(";") if part.strip()]


def plugin_dirs(env: Mapping[str, str]) -> list[Path]:
    """Where Qt looks for platform plugins, first first."""
    dirs: list[Path] = []
    if env.get("QT_QPA_PLATFORM_PLUGIN_PATH"):
        dirs.append(Path(env["QT_QPA_PLATFORM_PLUGIN_PATH"]))
    for entry in env.get("QT_PLUGIN_PATH", "").split(os.pathsep):
        if entry:
            dirs.append(Path(entry) / "platforms")
    spec = importlib.util.find_spec("PySide6")  # finds the package without loading Qt
    for location in (spec.submodule_search_locations or []) if spec else []:
        dirs.append(Path(location) / "Qt" / "plugins" / "platforms")
    return dirs


def plugin_file(platform: str, env: Mapping[str, str]) -> Path | None:
    for folder in plugin_dirs(env):
        candidate = folder / f"libq{platform}.so"
        if candidate.is_file():
            return candidate
    return None


def missing_libraries(library: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """The shared libraries ``library`` needs that the loader cannot find (``ldd``); empty
    when all load or when ``ldd`` is not there to ask."""
    ldd = shutil.which("ldd")
    if ldd is None:
        return []
    try:
        done = subprocess.run([ldd, str(library)], capture_output=True, text=True,
                              timeout=LDD_TIMEOUT_S, env=dict(env) if env is not None else None,
                              check=False)
    except (OSError, subprocess.SubprocessError):
        return []
    found = re.findall(r"^\s*(\S+)\s+=>\s+not found", done.stdout, flags=re.MULTILINE)
    return sorted(set(found))


def find_problems(env: Mapping[str, str] | None = None,
                  platform: str = sys.platform) -> list[DisplayProblem]:
    """Why a window cannot open here; empty when Qt may try (always empty off Linux)."""
    env = os.environ if env is None else env
    if not platform.startswith("linux"):
        return []
    names = requested_platforms(env)
    if names and all(name in HEADLESS for name in names):
        return []
    problems = []
    # the default platform needs either display; an explicit xcb needs X11's
    no_default = not names and not env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
    if no_default or (names[:1] == ["xcb"] and not env.get("DISPLAY")):
        problems.append(_no_display())
    # the libraries of the one plugin Qt will use; with a fallback list or in a Wayland
    # session (Qt tries wayland, then xcb) Qt's own fatal message is caught instead, so a
    # start that could work is never refused
    chosen = names if names else ([] if env.get("WAYLAND_DISPLAY") else ["xcb"])
    plugin = plugin_file(chosen[0], env) if len(chosen) == 1 else None
    if plugin is not None:
        missing = missing_libraries(plugin, env)
        if missing:
            problems.append(_missing(chosen[0], missing))
    return problems


def import_problem(exc: ImportError) -> DisplayProblem | None:
    """A library PySide6's GUI modules link that is missing (``libEGL.so.1: cannot open
    shared object file``); None for any other import error."""
    found = re.search(r"(lib[\w.+-]+\.so[\d.]*): cannot open shared object file", str(exc))
    if found is None:
        return None
    return _missing("Qt", [found.group(1)])


def qt_fatal_problem(message: str, env: Mapping[str, str] | None = None) -> DisplayProblem:
    """Qt's fatal platform message (plugin not found, display not answering) in our words."""
    env = os.environ if env is None else env
    names = requested_platforms(env) or ["xcb"]
    return DisplayProblem.tr(
        "The window cannot open: Qt could not start its “{platform}” display plugin ({qt}). "
        "Check that a desktop session is running and that QT_QPA_PLATFORM names an "
        "installed plugin.", platform=names[0], qt=message.strip().splitlines()[0])


def report(problems: list[DisplayProblem]) -> int:
    """Prints the problems to stderr (and logs them); returns ``EXIT_NO_DISPLAY``."""
    for problem in problems:
        if logging.getLogger().handlers:  # else logging's last resort prints it twice
            log.error("the window cannot open: %s", problem.english())
        for line in problem.lines():
            print(line, file=sys.stderr)
    sys.stderr.flush()
    return EXIT_NO_DISPLAY


__all__ = ["EXIT_NO_DISPLAY", "LINUX_QT_PACKAGES", "SONAME_PACKAGES", "DisplayProblem",
           "find_problems", "import_problem", "missing_libraries", "plugin_file",
           "qt_fatal_problem", "report", "requested_platforms"]
