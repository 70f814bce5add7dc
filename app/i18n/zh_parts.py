"""Simplified Chinese texts of the parts area (catalogue, stock, sales, counts, orders to head
office, old parts): English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    "Quantity must be a whole number from {low} to {high}.": "数量必须是 {low} 到 {high} 之间的整数。",
    "Only {have} {unit} of {part} in stock; {wanted} cannot be taken.":
        "{part} 库存仅剩 {have} {unit}，无法出库 {wanted}。",
    # the catalogue file (sync/parts_csv.py, shared with head office) and its import
    "The parts file has {count} problem(s); nothing was imported:\n{problems}":
        "配件文件有 {count} 处错误，未导入任何配件：\n{problems}",
    "Line {line}, column {column}: {problem}": "第 {line} 行「{column}」列：{problem}",
    "The file is larger than {limit} MB; it is not a parts catalogue.":
        "文件超过 {limit} MB，不是配件目录文件。",
    "This is an Excel workbook, not a CSV file; in Excel choose Save As, then "
    "'CSV UTF-8 (comma delimited)'.":
        "这是 Excel 工作簿，不是 CSV 文件；请在 Excel 中选择“另存为”，"
        "保存类型选“CSV UTF-8（逗号分隔）”。",
    "The file is UTF-16 ('Unicode text') or binary; save it as 'CSV UTF-8 (comma delimited)' "
    "and import it again.":
        "文件是 UTF-16（“Unicode 文本”）或二进制文件；请另存为“CSV UTF-8（逗号分隔）”后重新导入。",
    "The file says it is UTF-8 but byte {offset} is not; save it again as "
    "'CSV UTF-8 (comma delimited)'.":
        "文件标明为 UTF-8，但第 {offset} 字节不是 UTF-8；请重新另存为“CSV UTF-8（逗号分隔）”。",
    "The file is neither UTF-8 nor GBK/GB18030 text (byte {offset} fits neither); save it "
    "from Excel as 'CSV UTF-8 (comma delimited)' and import it again.":
        "文件既不是 UTF-8 也不是 GBK/GB18030 文本（第 {offset} 字节两者都不符）；"
        "请在 Excel 中另存为“CSV UTF-8（逗号分隔）”后重新导入。",
    "Part number {part_no} is already on line {first}.": "配件编号 {part_no} 已在第 {first} 行出现。",
    "The CSV is malformed here ({reason}).": "此处 CSV 格式错误（{reason}）。",
    "The file is empty; the first row must name the columns.": "文件为空；第一行必须是列名。",
    "The file has no parts below its header.": "文件在列名行之下没有配件。",
    "Unknown column; the columns are {columns}.": "未知的列；可用的列为 {columns}。",
    "This column appears twice.": "此列出现了两次。",
    "The header lacks this column.": "列名行缺少此列。",
    "This row has {found} values but the header names {expected} columns.":
        "此行有 {found} 个值，但列名行只有 {expected} 列。",
    "Part number {part_no} may hold only letters, digits and . _ / + # - (no spaces).":
        "配件编号 {part_no} 只能包含字母、数字和 . _ / + # -（不能有空格）。",
    "{label} is more than {limit} yuan.": "{label}超过 {limit} 元。",
    "'{value}' is not 是/否 (yes/no, 1/0, true/false).":
        "“{value}”不是 是/否（yes/no、1/0、true/false）。",
    "Specification": "规格",
    "Compatible models": "适用机型",
    "Retail price": "零售价",
    "Station price": "站价",
    "Old part returned": "旧件返还",
    "Cannot read {path}: {reason}": "无法读取 {path}：{reason}",
    "import the parts catalogue": "导入配件目录",
    "change shelf locations and low-stock thresholds": "修改货位和库存下限",
    "Low-stock threshold": "库存下限",
    # the stock list (app/cli/parts_cmd.py)
    "On hand": "库存",
    "Reserved": "预留",
    "Value (yuan)": "金额（元）",
    "Imported {rows} parts from {file}: {added} new, {updated} updated, {unchanged} unchanged, "
    "{skipped} kept as head office sent them.":
        "已从 {file} 导入 {rows} 种配件：新增 {added}，更新 {updated}，未变 {unchanged}，"
        "{skipped} 种保留总部下发的内容。",
    "{count} parts, worth {value} yuan at station price.": "共 {count} 种配件，按站价合计 {value} 元。",
}
