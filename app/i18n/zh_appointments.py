"""Chinese of visits booked with the customer (预约): the booking rules, warnings and the
order editor's 预约 dialog."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # app.domain.appointments / app.services.appointments
    "Only an on-site order (上门) gets a visit booked.": "只有上门服务的工单才能预约上门。",
    "This order is {status}: no visit can be booked for it.": "该工单{status}，不能预约上门。",
    "A visit is booked for an accepted or assigned order (or one waiting for parts); this "
    "one is {status}.": "已接单、已派工（或待件）的工单才能预约上门；该工单{status}。",
    "Give the visit's time with its time zone.": "上门时间缺少时区。",
    "The visit window has already begun: book a time from now on.":
        "预约时段已经开始：请预约现在以后的时间。",
    "The visit window must end after it starts.": "预约时段的结束时间必须晚于开始时间。",
    "A visit window may be at most {hours} hours long.": "预约时段最长 {hours} 小时。",
    "Say whose reason it is: the customer's or the station's.": "请选择是客户原因还是本站原因。",
    "Check before booking: {warnings}": "预约前请确认：{warnings}",
    "{technician} already has a visit booked at this time: {orders}.":
        "{technician}在这个时段已有预约：{orders}。",
    "The visit starts after the 24-hour on-site promise ({deadline}).":
        "预约时间晚于 24 小时上门承诺（{deadline}）。",
    "This order already has a booked visit: move it instead.": "该工单已有预约，请改约。",
    "This visit is {status} already; only a booked visit can be moved or cancelled.":
        "该预约的状态是“{status}”；只有已预约的上门才能改约或取消。",
    "A visit can only be booked for an active technician.": "只能为在职的维修工程师预约上门。",
    "Reason for moving": "改约原因",
    "Reason for cancelling": "取消原因",
    "Appointment": "预约",
    "appointment": "预约",
    "book, move or cancel visits": "预约、改约或取消上门",
    # app.ui.appointments
    "Visit booking — {number}": "预约上门 — {number}",
    "(not assigned yet)": "（暂未指定）",
    "Why the visit is moved or cancelled": "改约或取消的原因",
    "— whose reason —": "— 选择原因方 —",
    "Whose reason": "原因方",
    "Book anyway": "仍然预约",
    "Move anyway": "仍然改约",
    "Book the visit": "预约",
    "Move the visit": "改约",
    "Cancel booking": "取消预约",
    "Earlier bookings": "以往预约",
    "No visit is booked for this order yet.": "该工单尚未预约上门。",
    "Booked: {window} ({day}), {technician}": "已预约：{window}（{day}），{technician}",
    "24-hour on-site promise: by {deadline}": "24 小时上门承诺：{deadline} 前",
    "this window starts after it": "该时段晚于承诺",
    "The booking is cancelled.": "预约已取消。",
    "Visit booked: {window}, {technician}": "已预约上门：{window}，{technician}",
    "Book visit…": "预约…",
    "Book, move or cancel the visit with the customer ({keys})":
        "与客户预约、改约或取消上门（{keys}）",
}

LABELS_ZH: dict[str, str] = {
    "AppointmentStatus.BOOKED": "已预约",
    "AppointmentStatus.MOVED": "已改约",
    "AppointmentStatus.CANCELLED": "已取消",
    "AppointmentStatus.DONE": "已上门",
    "ReasonParty.CUSTOMER": "客户原因",
    "ReasonParty.STATION": "本站原因",
    "WarningKind.DOUBLE_BOOKED": "工程师时段冲突",
    "WarningKind.AFTER_PROMISE": "晚于 24 小时上门承诺",
}
