"""Three PDF engines agree on a repair report full of rare characters: poppler (pdftotext,
pdftoppm), MuPDF (mutool) and pdfium (pypdfium2), each with no system font to fall back on.

The customer name, fault and address hold CJK Extension A and B, the trade's symbols and
pinyin with tones among common Chinese. Every engine must extract every one of them and the
whole fault, and the pages the engines draw must agree: same size, the same ink in the
customer-name cell and the fault cell, and ink in the box of every rare character (a glyph the
font maps to nothing would extract fine and print blank).

No system fonts: poppler and mutool run with HOME and the XDG folders in tmp_path and
FONTCONFIG_FILE naming a fontconfig file that lists one empty folder (a control PDF with a
font that is not embedded then draws nothing in poppler, which proves the sandbox holds);
pdfium runs in its own process (tests/printing/pdfium_sandbox.py), restarted with that empty
folder as its only font folder, and reports every face it asked the system for. MuPDF never
reads system fonts (it carries its own). A missing tool fails the test with the package to
install; it is never skipped.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image, ImageOps, ImageStat
from reportlab.pdfgen import canvas

from app.printing.data import Paper
from app.printing.registry import documents
from tests.printing.helpers import sample_sheet, unembedded_fonts

ROOT = Path(__file__).resolve().parents[2]
DPI = 100
TIMEOUT = 120

NAME = "䶮㐀𠀀𪚥𠮷·韩梅梅"
FAULT = ("出风温度12℃（53.6℉）±0.5，功率2×1.5匹，Ⅰ档至Ⅻ档，故障码①至⑩；"
         "客户读音：nǎ lǐ hǒu lǚ nǘ lǜ ǔ ā é。外机不转")
ADDRESS = "北京市海淀区𠀀𪚥路䶮号㐀栋2单元301"
RARE = ("䶮", "㐀", "𠀀", "𪚥", "𠮷", "℃", "℉", "±", "×", "Ⅰ", "Ⅻ", "①", "⑩",
        "ǎ", "ǐ", "ǒ", "ǔ", "ǘ", "ǚ", "ǜ", "ā", "é")

#: which Debian package brings each command
PACKAGES = {"pdftotext": "poppler-utils", "pdftoppm": "poppler-utils", "mutool": "mupdf-tools"}
ENGINES = ("poppler", "mupdf", "pdfium")

#: the engines' ink in a cell may differ by this share of the largest (anti-aliasing); they
#: agree to within 1 % today, a blank or substituted glyph moves a cell by far more
CELL_TOLERANCE = 0.10
#: one character's box is small, a pixel of anti-aliasing weighs more (today within 15 %)
CHAR_TOLERANCE = 0.35
#: a drawn character darkens its box by 10-35 % on average; a blank one by nothing
MIN_CHAR_INK = 0.04


@dataclass
class Engine:
    text: str  # every page
    image: Image.Image  # page 1, grey, at DPI
    stderr: str


@dataclass
class Rendering:
    pdf: Path
    size: tuple[float, float]  # page 1 in points
    #: page 1's characters as pdfium reports them: (character, (left, bottom, right, top))
    chars: list[tuple[str, tuple[float, float, float, float]]]
    fonts_asked: list[str]  # faces pdfium asked the system for
    engines: dict[str, Engine]
    fault_cell_text: str  # poppler's text of the fault's own box (layout mode)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is missing: install the Debian package {PACKAGES[name]} "
                    f"(apt-get install {PACKAGES[name]}); this test never skips an engine")
    return found


def _sandbox(folder: Path) -> dict[str, str]:
    """An environment in which fontconfig knows one empty font folder and nothing else."""
    fonts, cache = folder / "no-fonts", folder / "fontconfig-cache"
    fonts.mkdir(parents=True)
    cache.mkdir()
    config = folder / "fonts.conf"
    config.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">\n'
        f"<fontconfig>\n  <dir>{fonts}</dir>\n  <cachedir>{cache}</cachedir>\n</fontconfig>\n",
        encoding="utf-8")
    return {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": str(folder),
            "XDG_CONFIG_HOME": str(folder), "XDG_DATA_HOME": str(folder),
            "XDG_CACHE_HOME": str(cache), "FONTCONFIG_FILE": str(config),
            "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT), "FONT_DIR": str(fonts)}


def _run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(args, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=TIMEOUT, stdin=subprocess.DEVNULL, cwd=ROOT)
    assert done.returncode == 0, f"{' '.join(args)} failed: {done.stderr}"
    return done


def _grey(path: Path) -> Image.Image:
    with Image.open(path) as image:
        return image.convert("L")


def _poppler(pdf: Path, folder: Path, env: dict[str, str]) -> Engine:
    text = _run([_tool("pdftotext"), "-layout", str(pdf), "-"], env)
    prefix = folder / "poppler"
    drawn = _run([_tool("pdftoppm"), "-r", str(DPI), "-gray", "-png", "-f", "1", "-l", "1",
                  "-singlefile", str(pdf), str(prefix)], env)
    return Engine(text.stdout, _grey(prefix.with_suffix(".png")), text.stderr + drawn.stderr)


def _mupdf(pdf: Path, folder: Path, env: dict[str, str]) -> Engine:
    text = _run([_tool("mutool"), "draw", "-q", "-F", "txt", "-o", "-", str(pdf)], env)
    png = folder / "mupdf.png"
    drawn = _run([_tool("mutool"), "draw", "-q", "-r", str(DPI), "-c", "gray", "-o", str(png),
                  str(pdf), "1"], env)
    return Engine(text.stdout, _grey(png), text.stderr + drawn.stderr)


def _pdfium(pdf: Path, folder: Path, env: dict[str, str]) -> tuple[Engine, dict]:
    png = folder / "pdfium.png"
    done = _run([sys.executable, "-m", "tests.printing.pdfium_sandbox", env["FONT_DIR"],
                 str(pdf), str(png), str(DPI)], env)
    report = json.loads(done.stdout)
    return Engine(report["text"], _grey(png), done.stderr), report


def _compact(text: str) -> str:
    return "".join(text.split())


@pytest.fixture(scope="module")
def rendering(tmp_path_factory: pytest.TempPathFactory) -> Rendering:
    folder = tmp_path_factory.mktemp("engines")
    env = _sandbox(folder / "home")
    pdf = folder / "report.pdf"
    sheet = sample_sheet(customer_name=NAME, fault=FAULT, address=ADDRESS)
    documents()["report"].render(sheet, Paper.A4, pdf)
    pdfium, report = _pdfium(pdf, folder, env)
    engines = {"poppler": _poppler(pdf, folder, env), "mupdf": _mupdf(pdf, folder, env),
               "pdfium": pdfium}
    rendering = Rendering(pdf, tuple(report["size"]),
                          [(c, tuple(box)) for c, box in report["chars"]], report["asked"],
                          engines, "")
    # poppler's layout mode sets a wrapped cell's label between its lines: read the fault's
    # own box for the whole-fault comparison
    left, bottom, right, top = _span(rendering, FAULT)
    height = rendering.size[1]
    rendering.fault_cell_text = _run(
        [_tool("pdftotext"), "-layout", "-x", str(int(left - 2)), "-y", str(int(height - top - 2)),
         "-W", str(int(right - left + 5)), "-H", str(int(top - bottom + 5)), str(pdf), "-"],
        env).stdout
    return rendering


def _span(rendering: Rendering, text: str) -> tuple[float, float, float, float]:
    """The box (points) around ``text`` on page 1, from pdfium's character boxes."""
    shown = [(c, box) for c, box in rendering.chars if not c.isspace()]
    wanted = _compact(text)
    start = "".join(c for c, _ in shown).find(wanted)
    assert start >= 0, f"pdfium found no {text!r} on page 1"
    boxes = [box for _, box in shown[start:start + len(wanted)]]
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes),
            max(b[3] for b in boxes))


def _pixels(rendering: Rendering, box: tuple[float, ...], pad: int) -> tuple[int, int, int, int]:
    """A box in points as a pixel rectangle at DPI (top-left origin), ``pad`` pixels wider.
    The cells' borders lie further out than 2 pixels at 100 dpi, so ink counts text only."""
    left, bottom, right, top = box
    scale, height = DPI / 72, rendering.size[1]
    return (int(left * scale) - pad, int((height - top) * scale) - pad,
            int(right * scale + 0.999) + pad, int((height - bottom) * scale + 0.999) + pad)


def _ink(image: Image.Image, rect: tuple[int, int, int, int]) -> tuple[float, float]:
    """(total, mean) darkness inside ``rect``: a black pixel counts 1, a white one 0."""
    stats = ImageStat.Stat(ImageOps.invert(image.crop(rect)))
    return stats.sum[0] / 255, stats.mean[0] / 255


def _agree(values: dict[str, float], tolerance: float) -> bool:
    return min(values.values()) >= (1 - tolerance) * max(values.values())


# -- the page and the sandbox -------------------------------------------------------------------
def test_the_page_holds_every_rare_character_and_embeds_every_font(rendering) -> None:
    assert set(RARE) <= set(NAME + FAULT + ADDRESS)
    assert unembedded_fonts(rendering.pdf.read_bytes()) == []


def test_no_engine_finds_a_system_font(rendering, tmp_path: Path) -> None:
    assert rendering.fonts_asked == [], "pdfium looked for system fonts"
    for name, engine in rendering.engines.items():
        assert "font" not in engine.stderr.lower(), f"{name}: {engine.stderr}"
    # control: a font that is not embedded finds nothing in the same sandbox
    env = _sandbox(tmp_path / "home")
    control = tmp_path / "control.pdf"
    page = canvas.Canvas(str(control))
    page.setFont("Helvetica", 40)
    page.drawString(72, 700, "Helvetica is not embedded")
    page.save()
    drawn = _run([_tool("pdftoppm"), "-r", "30", "-gray", "-png", "-singlefile", str(control),
                  str(tmp_path / "control")], env)
    assert "Couldn't find a font" in drawn.stderr
    blank = _grey(tmp_path / "control.png")
    assert _ink(blank, (0, 0, blank.width, blank.height))[0] == 0
    _, report = _pdfium(control, tmp_path, env)
    assert "Helvetica" in report["asked"]


# -- text -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("engine", ENGINES)
def test_every_engine_extracts_every_rare_character_and_the_whole_fault(rendering,
                                                                        engine: str) -> None:
    text = _compact(rendering.engines[engine].text)
    missing = [c for c in RARE if c not in text]
    assert not missing, f"{engine} lost {missing}"
    assert _compact(NAME) in text and _compact(ADDRESS) in text
    fault_text = rendering.fault_cell_text if engine == "poppler" else text
    assert _compact(FAULT) in _compact(fault_text), f"{engine}: {fault_text}"


# -- pixels ---------------------------------------------------------------------------------------
def test_the_engines_draw_the_same_page_size(rendering) -> None:
    sizes = {name: engine.image.size for name, engine in rendering.engines.items()}
    assert len(set(sizes.values())) == 1, sizes
    (width, height), = set(sizes.values())
    # A4 at 100 dpi is 826.8 x 1169.3 pixels: an engine may round either way
    assert abs(width - rendering.size[0] * DPI / 72) < 1
    assert abs(height - rendering.size[1] * DPI / 72) < 1


@pytest.mark.parametrize("field", ["customer name", "fault", "address"])
def test_the_cells_carry_the_same_ink_in_every_engine(rendering, field: str) -> None:
    text = {"customer name": NAME, "fault": FAULT, "address": ADDRESS}[field]
    rect = _pixels(rendering, _span(rendering, text), pad=2)
    ink = {name: _ink(engine.image, rect)[0] for name, engine in rendering.engines.items()}
    assert min(ink.values()) > 0, f"{field} cell is blank: {ink}"
    assert _agree(ink, CELL_TOLERANCE), f"{field} cell: {ink}"


@pytest.mark.parametrize("char", RARE, ids=[f"U+{ord(c):04X}" for c in RARE])
def test_each_rare_character_is_drawn_by_every_engine(rendering, char: str) -> None:
    boxes = [box for c, box in rendering.chars if c == char]
    assert boxes, f"pdfium has no box for {char!r}"
    rect = _pixels(rendering, boxes[0], pad=1)
    mean = {name: _ink(engine.image, rect)[1] for name, engine in rendering.engines.items()}
    blank = [name for name, value in mean.items() if value < MIN_CHAR_INK]
    assert not blank, f"{char!r} (U+{ord(char):04X}) prints blank in {blank}: {mean}"
    assert _agree(mean, CHAR_TOLERANCE), f"{char!r} (U+{ord(char):04X}): {mean}"
