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
    # the new-order form's warnings box
    "Check before saving": "保存前请确认",
    "Open {number} ({status})": "打开 {number}({status})",
    "Save anyway": "仍然保存",
    "Why go on? (kept in the audit log)": "为什么仍要保存?(记入操作日志)",
    # unsaved edits (Esc, the close button)
    "Unsaved changes": "尚未保存的修改",
    "This order has changes that are not saved yet.": "此工单有尚未保存的修改。",
    "Save them before closing?": "关闭前保存吗?",
    "Discard": "放弃",
    # batch printing
    "Include cancelled and closed orders?": "包含已取消/已结单的工单?",
    "{finished} of the {total} selected orders are cancelled or closed.":
        "选中的 {total} 张工单中有 {finished} 张已取消或已结单。",
    "Include them": "包含",
    "Leave them out": "不包含",
    # the order header, the customers page
    "Source: {source}": "来源:{source}",
    "Customer: {name} {phones}": "客户:{name} {phones}",
    "No customer found for “{query}”.": "未找到“{query}”对应的客户。",
}
