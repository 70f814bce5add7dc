"""write_file: a target that is not a regular file is refused and left as it was; a new file
gets the user's umask, a replaced one keeps its mode; nothing temporary stays behind."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from app.i18n import render
from app.services.pdf_file import TEMP_PREFIX, UnsafeTarget, write_file

PDF = b"%PDF-1.4\n% a test body\n%%EOF\n"

posix_only = pytest.mark.skipif(os.name != "posix", reason="POSIX file types and modes")


def _write(out) -> None:
    out.write(PDF)


def _temporaries(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(TEMP_PREFIX)]


@pytest.fixture
def umask() -> Iterator[object]:
    """Sets the process umask for one test and restores it afterwards."""
    saved = os.umask(0o022)
    os.umask(saved)

    def set_to(value: int) -> None:
        os.umask(value)

    yield set_to
    os.umask(saved)


def _refused(target: Path, words: str) -> UnsafeTarget:
    with pytest.raises(UnsafeTarget) as caught:
        write_file(target, _write)
    message = render(caught.value)
    assert str(target) in message and words in message, message
    assert _temporaries(target.parent) == []
    return caught.value


@posix_only
def test_symlink_to_an_existing_file_is_refused_and_the_file_is_untouched(tmp_path) -> None:
    victim = tmp_path / "important.txt"
    victim.write_bytes(b"keep me")
    link = tmp_path / "out.pdf"
    link.symlink_to(victim)
    error = _refused(link, "符号链接")
    assert error.field == "output"
    assert link.is_symlink() and os.readlink(link) == str(victim)
    assert victim.read_bytes() == b"keep me"


@posix_only
def test_dangling_symlink_is_refused_and_nothing_is_created(tmp_path) -> None:
    missing = tmp_path / "elsewhere" / "new.pdf"
    link = tmp_path / "out.pdf"
    link.symlink_to(missing)
    _refused(link, "符号链接")
    assert link.is_symlink() and not missing.exists()
    assert not missing.parent.exists()


@posix_only
def test_fifo_is_refused_without_opening_it(tmp_path) -> None:
    fifo = tmp_path / "out.pdf"
    os.mkfifo(fifo)
    # a reader holds the pipe open (non-blocking), so even a regression that opened the FIFO
    # for writing would not hang the test; it would show up as bytes in the pipe instead
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        _refused(fifo, "命名管道")
        assert stat.S_ISFIFO(os.lstat(fifo).st_mode)
        try:
            written = os.read(reader, 100)  # b"": no writer ever came
        except BlockingIOError:  # a writer is still connected
            written = b"?"
        assert written == b""
    finally:
        os.close(reader)


@posix_only
def test_device_is_refused() -> None:
    _refused(Path("/dev/null"), "设备")
    assert stat.S_ISCHR(os.lstat("/dev/null").st_mode)


def test_folder_is_refused_and_stays_as_it_was(tmp_path) -> None:
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "old.pdf").write_bytes(b"old")
    _refused(folder, "文件夹")
    assert [p.name for p in folder.iterdir()] == ["old.pdf"]


@posix_only
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_a_new_file_follows_the_umask(tmp_path, umask, mask: int, mode: int) -> None:
    umask(mask)
    out = write_file(tmp_path / "new" / "report.pdf", _write)
    assert out.read_bytes() == PDF
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert _temporaries(out.parent) == []


@posix_only
@pytest.mark.parametrize("mode", [0o640, 0o604, 0o666])
def test_a_replaced_file_keeps_its_mode(tmp_path, umask, mode: int) -> None:
    umask(0o077)
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old contents")
    out.chmod(mode)
    write_file(out, _write)
    assert out.read_bytes() == PDF
    assert stat.S_IMODE(out.stat().st_mode) == mode
    assert _temporaries(tmp_path) == []


def test_a_failed_render_leaves_the_old_file_and_no_temporary(tmp_path) -> None:
    out = tmp_path / "report.pdf"
    out.write_bytes(b"old contents")

    def broken(stream) -> None:
        stream.write(b"%PDF-1.4 half")
        raise RuntimeError("renderer crashed")

    with pytest.raises(RuntimeError):
        write_file(out, broken)
    assert out.read_bytes() == b"old contents"
    assert [p.name for p in tmp_path.iterdir()] == ["report.pdf"]


@posix_only
def test_a_target_swapped_for_a_link_while_rendering_is_refused(tmp_path) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"keep me")
    out = tmp_path / "report.pdf"

    def swapping(stream) -> None:
        stream.write(PDF)
        out.symlink_to(victim)  # someone plants a link after the first check

    with pytest.raises(UnsafeTarget):
        write_file(out, swapping)
    assert out.is_symlink() and victim.read_bytes() == b"keep me"
    assert _temporaries(tmp_path) == []


def test_the_replace_is_atomic_through_a_rename_in_the_same_folder(tmp_path, monkeypatch) -> None:
    seen: list[tuple[Path, Path]] = []
    real_replace = os.replace

    def spy(src, dst) -> None:
        seen.append((Path(src), Path(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    out = write_file(tmp_path / "report.pdf", _write)
    [(src, dst)] = seen
    assert dst == out and src.parent == out.parent and src.name.startswith(TEMP_PREFIX)
    assert not src.exists()
