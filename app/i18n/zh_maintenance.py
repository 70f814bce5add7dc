"""Chinese for the maintenance area (see app/i18n/__init__.py)."""

TEXT_ZH: dict[str, str] = {
    # the permission and the policy file's column
    "export customer lists for campaigns": "导出客户名单用于回访营销",
    "Only a category row takes a maintenance interval.": "只有品类（category）行可以填写保养周期。",
    "Maintenance interval (months)": "保养周期（月）",
    # the due list and the order (app/services/maintenance.py)
    "The horizon must be a whole number of days from 0 to {high}.":
        "提醒范围须为 0 到 {high} 之间的整数天。",
    "This product already has an open maintenance order ({number}).":
        "该产品已有未结的保养工单（{number}）。",
    "Export to a .csv or .xlsx file, not {name}.": "请导出为 .csv 或 .xlsx 文件，而不是 {name}。",
    "Last service": "上次服务",
    "Counted from": "起算依据",
    "Due on": "应保养日期",
    "Days overdue": "逾期天数",
    "Maintenance due": "保养到期名单",
    "Due by": "到期截至",
    "Listed on": "名单日期",
    # the page (app/ui/maintenance/page.py)
    "Maintenance reminders": "保养提醒",
    "Horizon": "提醒范围",
    "Due within {days} days": "{days} 天内到期",
    "Create maintenance orders": "生成保养工单",
    "Check before creating": "生成前请核对",
    "Reason for creating anyway": "仍然生成的原因",
    "Create anyway": "仍然生成",
    "{count} products due by {horizon} ({overdue} overdue among those shown)":
        "截至 {horizon} 共 {count} 台到期（所列其中 {overdue} 台已逾期）",
    "Maintenance orders created: {numbers}": "已生成保养工单：{numbers}",
    "Wrote {rows} products due for maintenance to {file}.":
        "已将 {rows} 台到期保养的产品写入 {file}。",
    "{days} days overdue": "已逾期 {days} 天",
    "Due today": "今天到期",
    "Due in {days} days": "{days} 天后到期",
    # the command line (app/cli/maintenance_cmd.py)
    "{count} products due for maintenance by {horizon} (today {today}).":
        "截至 {horizon} 共 {count} 台产品到期保养（今天 {today}）。",
    "... and {more} more; write the whole list with --csv or --xlsx (at most {limit} rows).":
        "……另有 {more} 台；用 --csv 或 --xlsx 导出完整名单（最多 {limit} 行）。",
}

LABELS_ZH: dict[str, str] = {
    "DueBasis.MAINTENANCE": "上次保养",
    "DueBasis.INSTALL": "安装",
    "DueBasis.PURCHASE": "购机",
    "DueBasis.REGISTERED": "建档",
}
