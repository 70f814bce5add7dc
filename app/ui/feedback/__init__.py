"""The quality feedback area: the 质量反馈 page (the station's 产品质量反馈卡, their list and
form) and 填写质量反馈卡 in the order editor. Importing it registers both.
"""

from __future__ import annotations

from app.ui.extensions import PageSpec, UiContext, register_order_action, register_page
from app.ui.feedback.order_action import feedback_order_action


def _page(ctx: UiContext):
    from app.ui.feedback.page import FeedbackPage

    return FeedbackPage(ctx)


register_page(PageSpec("feedback", "Quality feedback", _page, order=50))
register_order_action(feedback_order_action)
