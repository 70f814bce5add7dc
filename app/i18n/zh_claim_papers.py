"""Simplified Chinese texts of the claim papers (三包索赔清单, 索赔结算单) and the station's
print command for them: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # app/printing/claim_batch.py
    "Warranty claim list": "三包索赔清单",
    "Batch no.": "索赔批次号",
    "Claim period": "索赔期间",
    "Claim lines": "索赔明细",
    "{count} lines": "{count} 条",
    "Amount claimed": "索赔金额",
    "Order no. / customer": "工单号 / 客户",
    "Old-part tag / overrides": "旧件条码 / 例外放行",
    "Total claimed": "索赔合计",
    "Warnings overridden by the station manager": "站长例外放行的提示（书面理由）",
    "Check": "检查项",
    "Overridden by": "放行人",
    "Overridden: {checks}": "放行：{checks}",
    "Prepared by": "制表人",
    "Pending": "待审核",
    # app/printing/settlement.py
    "Claim settlement statement": "索赔结算单",
    "Statement no.": "结算单号",
    "Settled at": "结算时间",
    "Amounts": "结算金额",
    "Amount approved": "审核金额",
    "Deducted": "扣款金额",
    "Payable": "应付金额",
    "Decisions per line": "逐条审核结果",
    "Claimed (¥)": "索赔金额（元）",
    "Decision": "审核结论",
    "Approved (¥)": "核准金额（元）",
    "Paid at": "付款时间",
    "Payment note": "付款说明",
    "Head office review": "总部审核",
    # app/services/claim_papers.py
    "Claim batch {number} is not settled yet; the settlement statement prints once head "
    "office has settled it.": "索赔批次 {number} 尚未结算；总部结算后才能打印结算单。",
}
