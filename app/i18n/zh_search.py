"""Chinese for the search area (see app/i18n/__init__.py)."""

TEXT_ZH: dict[str, str] = {
    # the command line (app/cli/search_cmd.py)
    "complete": "已完成",
    "not complete": "未完成",
    "Building the search index {percent}%": "正在建立搜索索引 {percent}%",
    "Search index complete in {seconds} s.": "搜索索引已建立，用时 {seconds} 秒。",
    # the status bar (app/ui/search/status.py)
    "Until it is done, search finds only the start of numbers, phones and names.":
        "建立完成前，只能按单号、电话、姓名的开头查找。",
    "The search index could not be built: {message}": "搜索索引未能建立：{message}",
    # -- repair knowledge (维修知识库): app/services/knowledge.py, app/cli/knowledge_cmd.py,
    # app/ui/knowledge/ ----------------------------------------------------------------------
    "Type a symptom to look up similar repairs.": "请输入故障现象再查找相似维修。",
    "Ask for 1 to {most} suggestions.": "建议条数须在 1 到 {most} 之间。",
    "Symptom": "故障现象",
    "Diagnosis: {value}": "诊断：{value}",
    "Actions: {value}": "处理：{value}",
    "Parts: {parts}": "配件：{parts}",
    "{part} ×{times}": "{part} ×{times}",
    " (same model)": "（同型号）",
    " (same family)": "（同系列）",
    "{times} times; latest {date} {number} {model}{kin}":
        "共 {times} 次；最近 {date} {number} {model}{kin}",
    "Building the repair knowledge {percent}%": "正在建立维修知识库 {percent}%",
    "No similar past repairs for “{symptom}”.": "没有与“{symptom}”相似的维修记录。",
    "Similar repairs for “{symptom}”:": "与“{symptom}”相似的维修：",
    "Repair knowledge": "维修知识库",
    "Similar repairs": "相似维修",
    "Product model (optional)": "产品型号（可不填）",
    "Look up": "查找",
    "Type the fault as the customer describes it, e.g. 不制冷":
        "按用户的描述输入故障现象，例如：不制冷",
    "{times}×": "{times}次",
    "Copy to repair record": "填入维修记录",
    "No repair record can be added to this order now.": "此工单现在不能添加维修记录。",
    "Copy the selected suggestion's diagnosis and actions into the repair record form":
        "把选中建议的诊断和处理填入维修记录",
    "Looking up similar repairs…": "正在查找相似维修……",
    "No similar past repairs.": "没有相似的维修记录。",
    "Similar repairs appear here as the fault is typed.": "输入故障描述后，这里显示相似维修。",
    "Building the repair knowledge: {percent}%": "维修知识库建立中：{percent}%",
    "The repair knowledge could not be built: {message}": "维修知识库未能建立：{message}",
    "{count} suggestions": "{count} 条建议",
    "Actions": "处理",
    "Times": "次数",
    "Latest": "最近",
}
