"""Printed papers as PDF (reportlab), with no Qt and no database: each document takes plain
dataclasses (``data``) and draws on the shared page (``layout``: A4/A5, letterhead with QR
code, page x of y; ``fonts``: the embedded CJK font; ``widgets``: bordered field grids, tick
boxes, ruled lines, the charge table; ``text``: escaping of user text, money, local time).

Documents: ``repair_report`` (售后服务维修单) and ``work_order`` (派工单), listed by name in
``registry.DOCUMENT_MODULES``.

Adding a paper (quality feedback card, receipt, old-part tags, return manifest, claim
statement, count sheet):

1. a module here with ``story(data, paper)`` built from ``widgets`` (labels are English
   source text; user values go through ``widgets.para`` / ``Field``, which escape them) and
   ``render(data, paper, out)`` calling ``layout.build_pdf``; it ends with
   ``DOCUMENT = DocumentSpec(name, title, subject, render)``;
2. its name in ``registry.DOCUMENT_MODULES`` (the ``print`` command and the window's document
   menus pick it up); a new ``subject`` also needs its data builder in
   ``app.services.reports``;
3. its Chinese texts in ``app/i18n/locale/zh_CN/LC_MESSAGES/printing.po`` (and zh_TW); tests/printing runs every registered
   document through the extraction, embedded-font and ink checks.
"""
