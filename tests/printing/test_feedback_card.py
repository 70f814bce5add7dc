"""产品质量反馈卡 on paper: its values and the six cause boxes (the chosen one ticked) extract,
fonts are embedded, the page has ink, every photo is drawn (upright, as the camera held it)
and a missing one leaves a note; a long fault or opinion flows inside its box onto the next
page; any text the service accepts lays out whole; ``repair-station print feedback-card``
writes it from the card's number."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image
from pypdf import PdfReader

from app.__main__ import main
from app.domain import feedback as fb
from app.domain import validation as v
from app.domain.feedback import CauseCategory
from app.printing.data import Paper, StationHeader
from app.printing.feedback_card import FeedbackSheet, photo_flowable
from app.printing.registry import documents
from app.services.feedback import CardFields
from tests.printing.helpers import ink_share, page_texts, sample_feedback, unembedded_fonts
from tests.printing.test_any_length import check_pdf, drawn_boxes, text


def render(sheet: FeedbackSheet) -> bytes:
    buffer = BytesIO()
    documents()["feedback-card"].render(sheet, Paper.A4, buffer)
    return buffer.getvalue()


def flat(pdf: bytes) -> str:
    return "".join("".join(page_texts(pdf)).split())


def images(pdf: bytes) -> list[tuple[int, int]]:
    """(width, height) of every image drawn, page by page."""
    out = []
    for page in PdfReader(BytesIO(pdf)).pages:
        xobjects = page["/Resources"].get_object().get("/XObject")
        for ref in (xobjects.get_object().values() if xobjects else []):
            obj = ref.get_object()
            if obj.get("/Subtype") == "/Image":
                out.append((int(obj["/Width"]), int(obj["/Height"])))
    return out


def picture(path: Path, size=(300, 200), colour="#3a7", orientation: int | None = None,
            kind: str = "JPEG") -> Path:
    image = Image.new("RGB", size, colour)
    if orientation is not None:
        exif = Image.Exif()
        exif[0x0112] = orientation
        image.save(path, kind, exif=exif)
    else:
        image.save(path, kind)
    return path


def test_the_card_prints_its_fields_and_ticks_the_cause(tmp_path: Path) -> None:
    pdf = render(sample_feedback())
    assert unembedded_fonts(pdf) == []
    text = flat(pdf)
    for word in ("产品质量反馈卡", "北京海淀维修站", "QF-BJ001-20260601-0001", "产品型号",
                 "KFR-35GW/BP3DN1Y", "机身编号", "SN9914853944", "生产日期/批号", "2025-03批次B12",
                 "SO-BJ001-20260601-0001", "故障现象", "空调不制冷，外机不转", "故障零部件",
                 "压缩机启动电容", "使用环境", "沿海，高温高湿", "故障原因分类", "设计", "材料", "制造",
                 "运输", "安装", "使用", "用户意见", "希望尽快解决，影响使用", "填卡人", "王师傅",
                 "已提交", "工程师签字", "站长", "质量部门"):
        assert word in text, word
    assert images(pdf) == []
    path = tmp_path / "card.pdf"
    path.write_bytes(pdf)
    assert ink_share(path) > 0.005


def test_the_chosen_cause_box_is_ticked(tmp_path: Path) -> None:
    """The tick is ink inside the box: more dark pixels than with no cause chosen."""
    def dark(cause: str) -> float:
        path = tmp_path / f"{cause or 'none'}.pdf"
        path.write_bytes(render(sample_feedback(cause_category=cause)))
        return ink_share(path, dpi=100)

    assert dark("design") > dark("")
    assert abs(dark("design") - dark("use")) < 0.001  # one tick either way


def test_every_photo_is_drawn_and_a_missing_one_leaves_a_note(tmp_path: Path) -> None:
    # reportlab keeps one copy of identical pixel data: each photo is its own colour
    photos = tuple(picture(tmp_path / f"p{n}.jpg", (300 + n, 200), f"#3{n}7")
                   for n in range(3))
    png = picture(tmp_path / "p.png", (120, 160), kind="PNG")
    pdf = render(sample_feedback(photos=(*photos, png, tmp_path / "gone.jpg")))
    assert len(images(pdf)) == 4
    text = flat(pdf)
    assert all(f"照片{n}" in text for n in range(1, 5))
    assert "照片5：本站找不到该照片文件或文件已损坏。" in text


def test_a_photo_is_turned_as_the_camera_held_it(tmp_path: Path) -> None:
    # stored 300 x 200 with "rotate 90" in its EXIF: it prints 200 wide, 300 high
    upright = photo_flowable(picture(tmp_path / "r.jpg", orientation=6), 1000, 1000)
    assert upright is not None and upright.drawHeight > upright.drawWidth
    plain = photo_flowable(picture(tmp_path / "n.jpg"), 1000, 1000)
    assert plain is not None and plain.drawWidth > plain.drawHeight
    assert photo_flowable(tmp_path / "missing.jpg", 10, 10) is None


def test_a_huge_photo_is_scaled_into_its_cell(tmp_path: Path) -> None:
    pdf = render(sample_feedback(photos=(picture(tmp_path / "big.jpg", (4000, 300)),
                                         picture(tmp_path / "tall.jpg", (300, 4000),
                                                 "#a33"))))
    assert len(images(pdf)) == 2
    assert max(max(size) for size in images(pdf)) <= 1200
    assert len(page_texts(pdf)) <= 2


def test_long_fault_and_opinion_flow_onto_the_next_page_inside_their_boxes() -> None:
    fault = "外机噪音大" * 400  # 2,000 characters each
    opinion = "要求更换整机" * 333 + "完"
    sheet = sample_feedback(fault_phenomenon=fault, customer_opinion=opinion)
    pdf = render(sheet)
    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert "故障现象（续）" in "".join(pages[1].split())
    check_pdf(pdf, Paper.A4, [sheet.product_model, fault, opinion],
              [sheet.station.name, sheet.station.address])
    assert all(drawn_boxes(pdf))


def _widest(limit: int) -> str:
    return ("䶮𠀀Ｗ" * limit)[:limit]


LONGEST = sample_feedback(
    station=StationHeader(_widest(v.MAX_SHORT), _widest(v.MAX_ADDRESS), "010-62345678"),
    product_model=_widest(fb.MAX_MODEL), serial_no=_widest(fb.MAX_SERIAL),
    production_info=_widest(fb.MAX_PRODUCTION_INFO), fault_phenomenon=_widest(fb.MAX_PHENOMENON),
    faulty_part=_widest(fb.MAX_FAULTY_PART), use_environment=_widest(fb.MAX_ENVIRONMENT),
    customer_opinion=_widest(fb.MAX_OPINION), created_by=_widest(v.MAX_NAME),
    submitted_by=_widest(v.MAX_NAME))


@st.composite
def cards(draw) -> FeedbackSheet:
    return sample_feedback(
        station=StationHeader(draw(text(v.MAX_SHORT)), draw(text(v.MAX_ADDRESS)),
                              "010-62345678"),
        product_model=draw(text(fb.MAX_MODEL)), serial_no=draw(text(fb.MAX_SERIAL)),
        production_info=draw(text(fb.MAX_PRODUCTION_INFO)),
        fault_phenomenon=draw(text(fb.MAX_PHENOMENON, lines=True)),
        faulty_part=draw(text(fb.MAX_FAULTY_PART)),
        use_environment=draw(text(fb.MAX_ENVIRONMENT)),
        customer_opinion=draw(text(fb.MAX_OPINION, lines=True)),
        created_by=draw(text(v.MAX_NAME)), submitted_by=draw(text(v.MAX_NAME)),
        cause_category=draw(st.sampled_from(["", *CauseCategory])))


@settings(max_examples=5, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(sheet=cards())
@example(sheet=LONGEST)
def test_any_card_lays_out_whole(sheet: FeedbackSheet) -> None:
    values = [sheet.product_model, sheet.serial_no, sheet.production_info,
              sheet.fault_phenomenon, sheet.faulty_part, sheet.use_environment,
              sheet.customer_opinion, sheet.created_by, sheet.submitted_by]
    check_pdf(render(sheet), Paper.A4, values, [sheet.station.name, sheet.station.address])


def test_print_feedback_card_from_the_command_line(services, station, tmp_path: Path,
                                                   capsys) -> None:
    tech = station["tech"]
    card = services.feedback.new(tech, CardFields(
        product_model="KFR-35GW", fault_phenomenon="外机不转",
        cause_category=CauseCategory.MANUFACTURING))
    card = services.feedback.attach_photo(tech, card.id, picture(tmp_path / "p.jpg"))
    services.feedback.submit(tech, card.id)
    out = tmp_path / "card.pdf"
    assert main(["--data-dir", str(services.paths.root), "print", "feedback-card",
                 card.number, "-o", str(out)]) == 0
    assert str(out) in capsys.readouterr().out
    pdf = out.read_bytes()
    assert "产品质量反馈卡" in page_texts(pdf)[0] and card.number in flat(pdf)
    assert len(images(pdf)) == 1
    missing = tmp_path / "x.pdf"
    assert main(["--data-dir", str(services.paths.root), "print", "feedback-card",
                 "QF-BJ001-20200101-0009", "-o", str(missing)]) == 2
    assert "QF-BJ001-20200101-0009" in capsys.readouterr().err
    assert not missing.exists()
