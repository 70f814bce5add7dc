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
}

LABELS_ZH: dict[str, str] = {
    "DueBasis.MAINTENANCE": "上次保养",
    "DueBasis.INSTALL": "安装",
    "DueBasis.PURCHASE": "购机",
    "DueBasis.REGISTERED": "建档",
}
