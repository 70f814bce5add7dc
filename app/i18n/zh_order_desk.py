"""Simplified Chinese texts of the order desk (issue 9): every field error at once, the
warnings before saving, unsaved edits, batch printing of finished orders, small fixes."""

TEXT_ZH: dict[str, str] = {
    # warnings before saving (app.services.order_warnings)
    "Check before saving: {warnings}": "保存前请确认:{warnings}",
    "An on-site order has no address: the technician will not know where to go.":
        "上门服务工单没有服务地址:维修工程师不知道去哪里。",
    "Serial number {serial} already has {count} open orders: {orders}.":
        "序列号 {serial} 已有 {count} 张未结工单:{orders}。",
    "Reason for going on": "继续保存的原因",
}
