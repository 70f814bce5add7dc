"""Chinese of the day plan (派工看板) and the technician's route sheet (技术员日程单)."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # the route sheet
    "Technician's route sheet": "技术员日程单",
    "Visit {n}": "第 {n} 个上门",
    "Parts to bring": "携带配件",
    "Checked in": "签到",
    "Done": "完成",
    "No visits are booked for this day.": "这一天没有预约的上门。",
    "Totals": "合计",
    "Visits": "上门",
    "{count} visits": "{count} 次上门",
    "Technician's signature": "技术员签字",
    "{part_no} {name} × {quantity}": "{part_no} {name} × {quantity}",
    # the route sheet's service and command
    "'{value}' is not a date; give it as YYYY-MM-DD.": "“{value}”不是日期，请按 YYYY-MM-DD 填写。",
    "There is no user called '{username}'.": "没有用户名为“{username}”的用户。",
    "{name} is a {role}: visits are booked only for technicians and the station manager.":
        "{name}是{role}：上门只预约给维修工程师和站长。",
    "Username": "用户名",
    "Give the route sheet as USERNAME@YYYY-MM-DD.": "请按 用户名@YYYY-MM-DD 指定路线单。",
    # the day plan
    "Day plan": "派工看板",
    "My day": "今日行程",
    "Previous day": "前一天",
    "Next day": "后一天",
    "Today": "今天",
    "Print route sheet": "打印路线单",
    "Ctrl+Left/Right: another day": "Ctrl+←/→：换一天",
    "Select a visit, then Alt+Left/Right: another technician, Alt+Up/Down: 30 minutes "
    "earlier or later; or drag it to another column. Ctrl+Left/Right: another day.":
        "选中一个上门，Alt+←/→：改派给旁边的工程师，Alt+↑/↓：提前或推后 30 分钟；"
        "也可以拖到另一列。Ctrl+←/→：换一天。",
    "Not assigned": "未指派",
    "Move {order} ({customer}) to {technician}, {window}":
        "把 {order}（{customer}）改到 {technician}，{window}",
    "Visit moved.": "上门已改约。",
    "Select a technician's visit first.": "请先选中一位工程师的上门。",
    "Move the visit": "改约",
    "Why is the visit moved?": "为什么改约？",
    "The customer's reason": "客户原因",
    "The station's reason": "本站原因",
    "Move": "改约",
    "Who asked for it": "谁提出的",
    "Say why the visit is moved.": "请填写改约原因。",
    "Check before moving": "改约前请确认",
    "Move anyway": "仍然改约",
    "Do not move": "不改约",
}
