"""Simplified Chinese texts of the warranty policy (三包政策) and who pays each charge line
(付费方): the policy file, its import, the coverage an order shows, the payer column and
totals: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # the policy file (sync/policy_csv.py, shared with head office)
    "The policy file has {count} problem(s); nothing was imported:\n{problems}":
        "三包政策文件有 {count} 处错误，未导入：\n{problems}",
    "The file is larger than {limit} MB; it is not a warranty policy.":
        "文件超过 {limit} MB，不是三包政策文件。",
    "Unknown section '{value}'; the sections are {sections}.":
        "未知的类型“{value}”；可用的类型为 {sections}。",
    "List the model prefixes separated by | (e.g. KFR-|KF-), none empty.":
        "请填写机型前缀，用 | 分隔（如 KFR-|KF-），不能有空项。",
    "Category {name} is already on line {first}.": "品类 {name} 已在第 {first} 行出现。",
    "Model prefix {prefix} is already on line {first}.": "机型前缀 {prefix} 已在第 {first} 行出现。",
    "Key part {prefix} of {category} is already on line {first}.":
        "{category}的主要部件 {prefix} 已在第 {first} 行出现。",
    "'{value}' is not an order type; use one of {types}.":
        "“{value}”不是工单类型；请使用 {types} 之一。",
    "The labour fee for {order_type} on {category} is already on line {first}.":
        "{category}的{order_type}工时费已在第 {first} 行出现。",
    "The travel band up to {km} km is already on line {first}.":
        "{km} 公里以内的上门费档已在第 {first} 行出现。",
    "Unknown option '{value}'; the options are {options}.":
        "未知的选项“{value}”；可用的选项为 {options}。",
    "{key} is already on line {first}.": "{key} 已在第 {first} 行出现。",
    "{label} {value} may hold only letters, digits and . _ / + # - (at most {limit} "
    "characters).":
        "{label} {value} 只能包含字母、数字和 . _ / + # -（最多 {limit} 个字符）。",
    "Category {name} has no category row in this file.": "品类 {name} 在本文件中没有品类行。",
    "The policy names no product category (a row of section category).":
        "政策未列出任何产品品类（类型为 category 的行）。",
    "Category": "品类",
    "Part name": "配件名称",
    "Policy name": "政策名称",
    "Model prefix": "机型前缀",
    "Part-number prefix": "配件编号前缀",
    "Distance (km)": "距离（公里）",
    "Warranty months": "保修月数",
    "Fee": "费用",
    # the station's policy
    "import the warranty policy": "导入三包政策",
    "from head office": "总部下发",
    "imported from a file": "文件导入",
    # what an order shows
    "Warranty unknown: the order names no product": "保修未知：工单未登记产品",
    "In warranty: {rule} whole unit {months} months, bought {bought}, covered to {ends}":
        "保内：{rule}整机{months}个月，购机{bought}，保修至{ends}",
    "In warranty: whole unit {months} months, bought {bought}, covered to {ends}":
        "保内：整机{months}个月，购机{bought}，保修至{ends}",
    " (no invoice)": "（无发票）",
    "Out of warranty: the period ended ({ends})": "保外：已过保修期（至{ends}）",
    "Out of warranty: the service date is before the purchase date ({bought})":
        "保外：服务日期早于购机日期（{bought}）",
    "Out of warranty: no invoice (the policy requires one)": "保外：无发票（政策要求凭发票保修）",
    "Warranty unknown: no purchase date": "保修未知：无购机日期",
    "Travel distance (km)": "上门距离（公里）",
    "Payer": "付费方",
    "Warranty basis": "保修依据",
    "(not entered)": "未填",
    " km": " 公里",
    "(on saving)": "保存后确定",
    "Who pays is decided by the warranty policy when the charges are saved.":
        "付费方由三包政策在保存费用时确定（保内由厂家索赔，保外由客户支付）。",
    "Due from customer: {due}    Claimed from maker: {claimed}":
        "客户应付：{due}    厂家索赔：{claimed}",
    # the command line
    "Imported the warranty policy {name} from {file}.": "已从 {file} 导入三包政策 {name}。",
    "The warranty policy {name} is already in force; nothing was imported.":
        "三包政策 {name} 已在执行中，未重复导入。",
    "No warranty policy yet: each product's own warranty months apply.":
        "尚无三包政策：按各产品登记的保修月数计算。",
    "Warranty policy {name} ({source}), in force since {when}.":
        "三包政策 {name}（{source}），自 {when} 起执行。",
    "{category}: models {prefixes}, whole unit {months} months":
        "{category}：机型 {prefixes}，整机 {months} 个月",
    "{part} ({prefix}): {months} months": "{part}（{prefix}）：{months} 个月",
    "Labour {order_type} / {category}: {fee} yuan": "工时费 {order_type} / {category}：{fee} 元",
    "all categories": "所有品类",
    "Travel up to {km} km: {fee} yuan": "上门费 {km} 公里以内：{fee} 元",
    "An invoice is required for warranty service.": "保修须凭购机发票。",
    "Wrote the demo warranty policy to {file}.": "已将演示三包政策写入 {file}。",
}
