"""The QR code drawn on every page encodes the order number (checked against the separate
``qrcode`` encoder) and refuses anything but a plain ASCII identifier."""

from __future__ import annotations

import pytest
import qrcode

from app.printing.qr import qr_cells


def modules(payload: str) -> list[list[bool]]:
    cells, side = qr_cells(payload)
    n = len(reference(payload))
    size = side / n
    grid = [[False] * n for _ in range(n)]
    for x, y, w, h in cells:
        top = n - round((y + h) / size)
        for row in range(top, top + round(h / size)):
            for col in range(round(x / size), round((x + w) / size)):
                grid[row][col] = True
    return grid


def reference(payload: str, mask: int | None = None) -> list[list[bool]]:
    encoder = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0,
                            mask_pattern=mask)
    encoder.add_data(payload)
    encoder.make(fit=True)
    return encoder.get_matrix()


@pytest.mark.parametrize("payload", ["SO-BJ001-20260601-0001", "SO-GZ12-20261231-12345",
                                     "SO-BJ001-20261123-0001"])
def test_qr_matches_an_independent_encoder(payload: str) -> None:
    # encoders may pick different (equally valid) masks; data, ECC and format bits must agree
    ours = modules(payload)
    assert any(ours == reference(payload, mask) for mask in range(8))


@pytest.mark.parametrize("payload", ["", "客户", "SO 1", "<img>", "x" * 65])
def test_qr_refuses_non_identifiers(payload: str) -> None:
    with pytest.raises(ValueError):
        qr_cells(payload)
