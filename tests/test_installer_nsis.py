"""The Windows installer script compiles on Linux (Debian's nsis, installed by .ci/run), so a
broken script fails CI: makensis with warnings as errors, the version from pyproject.toml,
against a stub folder of the PyInstaller output's layout (the two executables the spec names
and its _internal folder; the Linux build's own files have no .exe). The Windows runner's
workflow builds the real one (installers/windows/build.yml)."""

from __future__ import annotations

import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "installers" / "windows" / "repair-station.nsi"
SPEC = ROOT / "installers" / "repair-station.spec"


def _version() -> str:
    with (ROOT / "pyproject.toml").open("rb") as f:
        return tomllib.load(f)["project"]["version"]


def _executables() -> list[str]:
    """The executables the PyInstaller spec makes (EXE(..., name="...")), as on Windows."""
    names = re.findall(r"EXE\([^)]*?name=\"([^\"]+)\"", SPEC.read_text(encoding="utf-8"),
                       flags=re.S)
    assert names, "the spec names no executables"
    return [f"{n}.exe" for n in names]


def _stub(folder: Path) -> Path:
    dist = folder / "repair-station"
    (dist / "_internal" / "app" / "store" / "migrations" / "versions").mkdir(parents=True)
    for exe in _executables():
        (dist / exe).write_bytes(b"MZ" + b"\0" * 1022)
    (dist / "_internal" / "base_library.zip").write_bytes(b"PK\x05\x06" + b"\0" * 18)
    (dist / "_internal" / "app" / "store" / "migrations" / "versions" / "0001.py").write_text(
        "# stub\n", encoding="utf-8")
    return dist


def _makensis(*defines: str) -> subprocess.CompletedProcess[str]:
    makensis = shutil.which("makensis")
    assert makensis, "makensis is missing: apt-get install nsis (.ci/run installs it)"
    return subprocess.run([makensis, "-V2", "-WX", *defines, str(SCRIPT)], capture_output=True,
                          text=True, timeout=300)


def test_the_installer_script_compiles_with_the_pyproject_version(tmp_path: Path) -> None:
    dist = _stub(tmp_path)
    version = _version()
    out = tmp_path / f"RepairStation-Setup-{version}.exe"
    done = _makensis(f"-DVERSION={version}", f"-DDIST={dist}", f"-DOUTFILE={out}")
    assert done.returncode == 0, done.stdout + done.stderr
    data = out.read_bytes()
    assert data[:2] == b"MZ" and len(data) > 50_000  # a Windows program: NSIS's stub + data


def test_the_script_refuses_to_compile_without_a_version(tmp_path: Path) -> None:
    done = _makensis(f"-DDIST={_stub(tmp_path)}", f"-DOUTFILE={tmp_path / 'x.exe'}")
    assert done.returncode != 0 and "VERSION" in done.stdout + done.stderr
    assert not (tmp_path / "x.exe").exists()


def test_the_script_installs_what_the_spec_builds_per_machine_in_two_languages() -> None:
    script = SCRIPT.read_text(encoding="utf-8")
    for exe in _executables():
        assert f"$INSTDIR\\{exe}" in script
    assert "RequestExecutionLevel admin" in script and "$PROGRAMFILES64" in script
    assert 'MUI_LANGUAGE "SimpChinese"' in script and 'MUI_LANGUAGE "English"' in script
    assert "WriteUninstaller" in script and 'Section "Uninstall"' in script
    assert "$DESKTOP" in script and "$SMPROGRAMS" in script
    assert "--self-test" in script


def test_the_windows_workflow_builds_tests_and_uploads_the_installer() -> None:
    flow = yaml.safe_load((ROOT / "installers" / "windows" / "build.yml").read_text("utf-8"))
    job = flow["jobs"]["installer"]
    assert job["runs-on"] == "windows-latest"
    steps = " ".join(str(s.get("uses", "")) + " " + str(s.get("run", "")) for s in job["steps"])
    for needed in ("actions/setup-python", "pip install", "pyinstaller installers/repair-station",
                   "--self-test", "makensis /WX", "repair-station.nsi",
                   "actions/upload-artifact"):
        assert needed in steps, needed


def test_the_readme_states_the_supported_windows_versions() -> None:
    readme = (ROOT / "installers" / "README.md").read_text(encoding="utf-8")
    assert "Windows 10" in readme and "1809" in readme and "Windows 11" in readme
    assert "64-bit" in readme
    script = SCRIPT.read_text(encoding="utf-8")
    assert "!define MIN_BUILD 17763" in script  # 1809, refused below it


def test_ci_installs_nsis() -> None:
    run = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    apt = run[run.index("apt-get install"):run.index(">/dev/null", run.index("apt-get install"))]
    assert " nsis" in apt
