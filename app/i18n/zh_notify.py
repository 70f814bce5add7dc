"""Chinese of the customer notifications (客户通知): the customer form's e-mail and opt-out,
its refusal, and the order editor's 通知 list."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # app/services/customers.py (check_email) and the customer form
    "E-mail": "邮箱",
    "'{value}' is not an e-mail address (e.g. name@example.com).":
        "“{value}”不是有效的邮箱地址（例如 name@example.com）。",
    "name@example.com": "name@example.com",
    "Notifications": "通知",
    "No messages to this customer": "不接收通知",
    # app/ui/notify/order_list.py
    "Notifications…": "通知…",
    "The messages sent to the customer about this order": "就本工单发给客户的通知",
    "Notifications of order {number}": "工单 {number} 的通知",
    "No message was queued for this order's customer (opted out, or no mobile phone and no "
    "e-mail).": "没有给本工单的客户发送通知（客户不接收通知，或没有手机号和邮箱）。",
    "Event": "事件",
    "Channel": "方式",
    "Recipient": "收件人",
    "State": "状态",
    "Detail": "详情",
    "Queued at": "排队时间",
    "Order received": "已受理",
    "Visit booked": "已预约上门",
    "Visit moved": "上门时间变更",
    "Repair done": "维修完成",
    "Thanks for the return visit": "回访致谢",
    "Text message": "短信",
    "Queued": "排队",
    "Sent": "已发送",
    "Delivered": "已送达",
    "Failed": "失败",
    "{detail} (attempt {n})": "{detail}（第 {n} 次）",
    "Close": "关闭",
}
