"""Simplified Chinese texts of order corrections (作废, 修改, 补录时间) and payments (收款,
日结): English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # corrections (app/services/order_corrections.py)
    "Enter the arrival or the completion time.": "请填写到达时间或完工时间。",
    "enter service times": "补录服务时间",
    "The arrival time can be entered once service has started (the order is {status}).":
        "开始服务后才能补录到达时间（工单现为{status}）。",
    "The completion time can be entered once the order is completed (it is {status}).":
        "工单完工后才能补录完工时间（工单现为{status}）。",
    "The completion time cannot be before the arrival time.": "完工时间不能早于到达时间。",
    "The order is {status}: its repair records, photos and charges are locked. Reopen it to "
    "change them.": "工单{status}：维修记录、照片和费用已锁定，须重新打开工单才能修改。",
    "The time must carry its time zone.": "时间缺少时区。",
    "The {what} time cannot be before the call ({called}).":
        "{what}时间不能早于来电时间（{called}）。",
    "The {what} time cannot be in the future.": "{what}时间不能晚于现在。",
    "arrival": "到达",
    "completion": "完工",
    "This photo is already voided.": "这张照片已经作废。",
    "This repair record is already voided.": "这条维修记录已经作废。",
    "repair record": "维修记录",
    "photo": "照片",
    "Reason": "原因",
    # the order editor (app/ui/orders/editor_repairs.py, editor_photos.py, times_dialog.py)
    "Correct selected": "修改所选",
    "Load the selected record into the form to correct it": "把所选记录载入下方表单进行修改",
    "Save correction": "保存修改",
    "Void selected…": "作废所选…",
    "Void a record entered by mistake (a reason is kept)": "作废录错的记录（须填写原因并留存）",
    "Void a photo taken by mistake (a reason is kept)": "作废拍错的照片（须填写原因并留存）",
    "Voided: {reason}": "已作废：{reason}",
    "[voided] {name}": "[已作废] {name}",
    "[voided: {reason}] {diagnosis}": "[已作废：{reason}] {diagnosis}",
    "Void repair record": "作废维修记录",
    "Why is this record void?": "作废原因：",
    "Void photo": "作废照片",
    "Why is this photo void?": "作废原因：",
    "Change": "修改",
    "Enter service times — {number}": "补录服务时间 — {number}",
    "Enter the real arrival and completion times afterwards": "事后补录实际到达和完工时间",
    "Enter times…": "补录时间…",
    "Times may not be before the call or in the future; the change is kept in the audit log.":
        "时间不能早于来电、不能晚于现在；修改记入操作日志。",
    # payments (app/services/payments.py, app/ui/payments/)
    "Amount (fen)": "金额(分)",
    "Amount (yuan)": "金额(元)",
    "Payment method": "付款方式",
    "Nothing is outstanding on order {number}.": "工单 {number} 没有未收款项。",
    "Payment is taken once the order is completed; order {number} is {status}.":
        "工单完工后才能收款；工单 {number} 现为{status}。",
    "Reason for waiving": "减免原因",
    "waive payments": "减免收款",
    "{amount} yuan is more than the {outstanding} yuan outstanding.":
        "{amount} 元超过了未收的 {outstanding} 元。",
    "Due from the customer {due} · paid {paid} · waived {waived} · outstanding {outstanding} "
    "— {status}": "客户应付 {due} · 已收 {paid} · 减免 {waived} · 未收 {outstanding} — {status}",
    "overpaid {amount}": "多收 {amount}",
    "Payment recorded for order {number}.": "工单 {number} 收款已记录。",
    "Payment — {number}": "收款 — {number}",
    "Payment…": "收款…",
    "Record payment": "确认收款",
    "Record what the customer paid for this order": "登记客户为本工单支付的款项",
    "The station manager lets the customer off what is outstanding, with a reason":
        "站长减免客户未付的款项（须填写原因）",
    "Waive the rest…": "减免余款…",
    "Waive payment": "减免收款",
    "Why is the rest waived?": "减免原因：",
    "Time": "时间",
    "Kind": "类别",
    "Method": "方式",
    "Amount": "金额",
    "Close": "关闭",
    "Daily takings": "收款日结",
    "Day": "日期",
    "Counter sales": "零件销售",
    "Total": "合计",
    "Refresh": "刷新",
    "{day}: takings {total} ({payments} order payments; counter sales {sales}); waived {waived}":
        "{day}：收款合计 {total}（工单收款 {payments} 笔；零件销售 {sales}）；减免 {waived}",
    # the permission matrix's actions (app/domain/permissions.py DOING)
    "accept orders": "接单",
    "assign orders": "派工",
    "start service on orders": "开始服务",
    "complete orders": "完工",
    "record return visits": "回访",
    "close orders": "结单",
    "cancel orders": "取消工单",
    "reopen orders": "重新打开工单",
    "correct repair records and photos": "修改或作废维修记录和照片",
    "take payments": "收款",
    "sell under the station price": "低于站内价销售",
    "fill in quality feedback cards": "填写质量反馈卡",
}

LABELS_ZH: dict[str, str] = {
    "PaymentKind.PAYMENT": "收款",
    "PaymentKind.WAIVER": "减免",
    "PaymentStatus.NOTHING_DUE": "无需收款",
    "PaymentStatus.UNPAID": "未收款",
    "PaymentStatus.PARTLY_PAID": "部分收款",
    "PaymentStatus.PAID": "已收款",
    "PaymentStatus.WAIVED": "已减免",
}
