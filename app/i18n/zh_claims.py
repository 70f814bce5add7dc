"""Simplified Chinese texts of warranty claims (三包索赔): English source -> 简体中文."""

LABELS_ZH: dict[str, str] = {
    "ClaimStatus.DRAFT": "草稿",
    "ClaimStatus.SUBMITTED": "已提交",
    "ClaimStatus.DECIDED": "已审核",
    "ClaimStatus.SETTLED": "已结算",
    "ClaimStatus.PAID": "已付款",
    "Decision.APPROVED": "通过",
    "Decision.ADJUSTED": "调整",
    "Decision.REJECTED": "驳回",
    "Severity.BLOCKED": "不可提交",
    "Severity.WARNING": "需说明",
    "Check.ORDER_CLAIMED_TWICE": "重复索赔",
    "Check.TAG_USED_TWICE": "旧件条码重复",
    "Check.AFTER_WARRANTY_END": "超出保修期",
    "Check.REPEAT_REPAIR": "30天内重复维修",
    "Check.OLD_PART_MISSING": "未回收旧件",
    "Check.MISSING_PHONE": "缺少电话",
    "Check.MISSING_SERIAL": "缺少机号",
    "Check.MISSING_PURCHASE_PROOF": "缺少购机凭证",
    "Check.IMPOSSIBLE_TIMES": "时间不合理",
    "Check.ABOVE_SCHEDULE": "超出收费标准",
}

TEXT_ZH: dict[str, str] = {
    # the checks' plain reasons (app/domain/claims.py REASON_TEXT)
    "Order {order} is already claimed in batch {batch}.": "工单 {order} 已在索赔批次 {batch} 中索赔过。",
    "Old-part tag {tag} backs another claim line too ({other}).":
        "旧件条码 {tag} 已用于另一条索赔（{other}）。",
    "Served on {served}, after the warranty ended on {ends}.":
        "服务日期 {served} 已超出保修期（保修至 {ends}）。",
    "The same unit {serial} was repaired for the same fault {days} days earlier (order {other}).":
        "同一机器 {serial} 在 {days} 天前因同一故障维修过（工单 {other}）。",
    "Part {part} must be returned, but no old part was collected.":
        "配件 {part} 须返还旧件，但未回收旧件。",
    "The order has no customer phone.": "工单没有客户电话。",
    "The product has no serial number.": "产品没有机号（序列号）。",
    "No purchase proof: {missing}.": "缺少购机凭证：{missing}。",
    "Impossible times: {what}.": "时间不合理：{what}。",
    "Claimed {amount} is above the schedule's {schedule}.": "索赔 {amount}，超出收费标准 {schedule}。",
    "no purchase date": "无购机日期",
    "no invoice number": "无发票号",
    "completed before arrival": "完工早于到达",
    "arrived before the call": "到达早于报修",
    "responded before the call": "响应早于报修",
    # the service (app/services/claims.py)
    "claim batch": "索赔批次",
    "Claim batch": "索赔批次",
    "Claim line": "索赔明细",
    "Order": "工单",
    "order": "工单",
    "Period": "索赔月份",
    "Reason": "原因",
    "Note": "说明",
    "build warranty claims": "生成三包索赔",
    "override a claim warning": "对索赔警告作出说明",
    "submit warranty claims": "提交三包索赔",
    "mark a claim statement paid": "标记结算单已付款",
    "Order {number} is not finished; only completed orders can be claimed.":
        "工单 {number} 尚未完工，只有已完工的工单可以索赔。",
    "Order {number} has nothing under warranty to claim.": "工单 {number} 没有可向厂家索赔的保内费用。",
    "Order {number} is already claimed in batch {batch}.": "工单 {number} 已在索赔批次 {batch} 中。",
    "Unknown check '{check}'.": "未知的审核项“{check}”。",
    "{check} blocks the claim; it cannot be overridden. Remove the line instead.":
        "“{check}”不允许提交，不能强制说明；请删除该行。",
    "This line has no warning '{check}' to override.": "该行没有“{check}”警告，无需说明。",
    "Claim batch {number} has no lines to submit.": "索赔批次 {number} 没有可提交的明细。",
    "Claim batch {number} cannot be submitted yet:\n{problems}": "索赔批次 {number} 还不能提交：\n{problems}",
    "Line {n} ({order}, {what}): {reason}": "第 {n} 行（{order}，{what}）：{reason}",
    "blocked": "不可提交",
    "needs a reason": "需填写说明",
    "Claim batch {number} is {status}; only a settled statement can be marked paid.":
        "索赔批次 {number} {status}，只有已结算的才能标记已付款。",
    "Claim batch {number} is {status}; after submission only head office's decisions change it.":
        "索赔批次 {number} {status}，提交后只有总部的审核结果可以更改它。",
    "The period must be a month written YYYY-MM, such as 2026-05.":
        "索赔月份须写成 YYYY-MM，例如 2026-05。",
    "That line is not in claim batch {number}.": "该明细不在索赔批次 {number} 中。",
}
