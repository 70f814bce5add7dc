"""Simplified Chinese texts of the quality feedback cards (产品质量反馈卡): the service's
rules, the printed card and the 质量反馈 screens. English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # vocabulary (app/domain/feedback.py)
    "Design": "设计",
    "Material": "材料",
    "Manufacturing": "制造",
    "Transport": "运输",
    "Installation": "安装",
    "Use": "使用",
    "Draft": "草稿",
    "Submitted": "已提交",
    # entities and labels (app/services/feedback.py)
    "feedback card": "质量反馈卡",
    "Feedback card": "质量反馈卡",
    "Feedback card number": "反馈卡编号",
    "photo": "照片",
    "Photo": "照片",
    "Production date / batch": "生产日期/批号",
    "Fault phenomenon": "故障现象",
    "Faulty part": "故障零部件",
    "Use environment": "使用环境",
    "Customer's opinion": "用户意见",
    "Cause category": "故障原因分类",
    # what a role may not do, and the rules
    "submit quality feedback cards": "提交质量反馈卡",
    "Technicians may only fill in feedback cards for orders assigned to them.":
        "维修工程师只能为派给自己的工单填写质量反馈卡。",
    "Technicians may only change feedback cards they started or of orders assigned to them.":
        "维修工程师只能修改自己填写的、或派给自己的工单的质量反馈卡。",
    "Order {number} was cancelled; no feedback card can be filled from it.":
        "工单 {number} 已取消，不能据此填写质量反馈卡。",
    "Only a draft can be changed.": "只有草稿可以修改。",
    "Photos can only be added to a draft.": "只有草稿可以添加照片。",
    "Photos can only be removed from a draft.": "只有草稿可以删除照片。",
    "Feedback card {number} was already submitted.": "质量反馈卡 {number} 已提交。",
    "A feedback card holds at most {n} photos.": "一张质量反馈卡最多 {n} 张照片。",
    "A photo may be at most {mb} MB.": "照片不能超过 {mb} MB。",
    "'{name}' is not a JPEG or PNG photo.": "“{name}”不是 JPEG 或 PNG 照片。",
    "'{name}' has too many pixels for a photo.": "“{name}”像素过多，不能作为照片。",
    "'{name}' is damaged or not a JPEG or PNG photo.": "“{name}”已损坏，或不是 JPEG/PNG 照片。",
    "Choose one of the six cause categories.": "请在六种故障原因中选择一种。",
    "The feedback card has {count} problems:\n{problems}":
        "质量反馈卡有 {count} 处问题：\n{problems}",
    # the printed card (app/printing/feedback_card.py)
    "Product quality feedback card": "产品质量反馈卡",
    "Fault and cause": "故障情况及原因",
    "Photo {n}": "照片 {n}",
    "Photo {n}: its file is missing or damaged at this station.":
        "照片 {n}：本站找不到该照片文件或文件已损坏。",
    "Filled in by": "填卡人",
    "Filled in at": "填卡时间",
    "Submitted by": "提交人",
    "Submitted at": "提交时间",
    "Station manager": "站长",
    "Quality department": "质量部门",
    # the screens (app/ui/feedback/)
    "Quality feedback": "质量反馈",
    "Quality feedback card": "质量反馈卡",
    "Quality feedback card {number}": "质量反馈卡 {number}",
    "Quality feedback card…": "填写质量反馈卡…",
    "Fill in the product quality feedback card of this order": "填写本工单的产品质量反馈卡",
    "The feedback card has changes that are not saved. Discard them?":
        "质量反馈卡有未保存的修改，放弃这些修改吗？",
    "Remove photo": "删除照片",
    "Submit": "提交",
    "Choose a feedback card, or start a new one.": "请选择一张质量反馈卡，或新建一张。",
    "from order {number}": "来自工单 {number}",
    "filled in by {name} {when}": "{name} 填于 {when}",
    "Feedback card {number} saved.": "质量反馈卡 {number} 已保存。",
    "Number, model, serial, part, fault or order": "卡号、型号、机身编号、零部件、故障或工单号",
    "All": "全部",
    "New feedback card": "新建反馈卡",
    "Card number": "卡号",
    "Filled in on": "填卡日期",
}
