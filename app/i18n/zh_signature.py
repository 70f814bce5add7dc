"""Chinese of the customer's signature on screen (客户签字): the service's refusals, the
permission texts, the 客户签字 box of the repair report and the signature pad."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # app/services/signature_lock.py, signatures.py
    "This order is signed: reopen the signature before changing the charges.":
        "已签字的工单，修改费用前请先重开签字",
    "Signer's name": "签字人",
    "A cancelled order is not signed.": "已取消的工单不能签字。",
    "Order {number} is already signed; reopen the signature to sign again.":
        "工单 {number} 已签字；要重新签字，请先重开签字。",
    "The charges changed after signing": "签字后费用已变更",
    "Order {number} has no signature to reopen.": "工单 {number} 没有可重开的签字。",
    "The signature is not a PNG image.": "签字不是 PNG 图片。",
    "The signature image is larger than {limit} KB.": "签字图片超过 {limit} KB。",
    "The signature image must be {low_w}×{low_h} to {high}×{high} pixels.":
        "签字图片须在 {low_w}×{low_h} 到 {high}×{high} 像素之间。",
    "The signature image cannot be read.": "无法读取签字图片。",
    "The signature is blank or too small: ask the customer to sign across the pad.":
        "签字是空白的或太小：请客户在签字板上横向签名。",
    "The signature pad is mostly ink: clear it and sign again.":
        "签字板几乎被涂满：请清除后重新签字。",
    # app/domain/permissions.py
    "take the customer's signature": "请客户签字",
    "reopen a signed order's charges": "重开已签字工单的费用",
    # app/printing/repair_report.py
    "Signed on screen by {name}, {time}": "{name} 于 {time} 在屏幕上签字",
    # app/ui/signature/
    "Signature pad": "签字板",
    "Sign here": "请在此签名",
    "Signature": "签字",
    "Customer signature — {number}": "客户签字 — {number}",
    "Please check the work and the charges ({total}), then sign in the box.":
        "请核对维修内容及收费（{total}），然后在框内签名。",
    "Clear the pad": "清除",
    "Confirm": "确认",
    "Reopen signature…": "重开签字…",
    "Reopen signature": "重开签字",
    "Void the signature with a reason so the charges can change; the customer signs again":
        "注明原因作废签字，以便修改费用；之后请客户重新签字",
    "Not signed yet.": "尚未签字。",
    "Signed by {name} at {time} (taken by {user}).": "已签字：{name}，{time}（经办：{user}）。",
    "Signed by {name} at {time}, but the charges have changed since: the customer signs again.":
        "{name} 于 {time} 签字，但此后费用已变更：请客户重新签字。",
    "Why must the signed charges change?": "为什么要修改已签字的费用？",
    "The customer signed: {name}.": "客户已签字：{name}。",
    "The signature was voided; the charges can change.": "签字已作废，可以修改费用。",
    "Customer signature…": "客户签字…",
    "The customer signs the repair on screen ({keys})": "客户在屏幕上签字确认维修（{keys}）",
}
