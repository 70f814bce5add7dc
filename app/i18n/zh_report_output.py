"""Chinese for the report output area (see app/i18n/__init__.py): the .csv/.xlsx exports, the
printed statistics paper and ``repair-station report``."""

TEXT_ZH: dict[str, str] = {
    # exports (app/services/report_export.py)
    "Unknown export format {format}; use csv, xlsx or pdf.":
        "未知的导出格式 {format}；请用 csv、xlsx 或 pdf。",
    "The folder {folder} does not exist; choose an existing folder for the file.":
        "文件夹 {folder} 不存在；请选择一个已有的文件夹保存文件。",
    "{path} is a folder; give the name of the file to write.": "{path} 是文件夹；请给出要写入的文件名。",
    "{start} to {end}": "{start} 至 {end}",
    "Technician: {name}": "维修工程师：{name}",
    "Order type: {type}": "工单类型：{type}",
    "Product category: {category}": "产品类别：{category}",
    "Source: {source}": "来源:{source}",
    "; ": "；",
    "None (all orders)": "无（全部工单）",
    "Report": "报表",
    "Station": "维修站",
    "Date range": "统计期间",
    "Filters": "筛选条件",
    "Computed at": "统计时间",
    "About these figures": "统计说明",
    "Report information": "报表信息",
    "{heading} (minutes)": "{heading}（分钟）",
    # the printed paper (app/printing/report_sheet.py, app/services/report_papers.py)
    "Statistics report": "统计报表",
    "No data for this range.": "本期间没有数据。",
    "No data to chart for this range.": "本期间没有可绘图的数据。",
    "The chart shows the first {shown} of {total} rows.": "图中只画出前 {shown} 行（共 {total} 行）。",
    "Others": "其他",
    " (yuan)": "（元）",
    # repair-station report (app/cli/report_cmd.py)
    "Name a report, or give --list to see them.": "请给出报表名称，或用 --list 查看全部报表。",
    "Give the range with --from YYYY-MM-DD and --to YYYY-MM-DD.":
        "请用 --from YYYY-MM-DD 和 --to YYYY-MM-DD 给出统计期间。",
    "{option} takes a date as YYYY-MM-DD, not {value}.":
        "{option} 需要 YYYY-MM-DD 格式的日期，而不是 {value}。",
    "{option} takes one of: {known}; not {value}.": "{option} 只能是：{known}；不能是 {value}。",
    "There is no product category {value}; the warranty policy names: {known}.":
        "没有产品类别 {value}；三包政策中的类别：{known}。",
    "There is no technician with the user name {username}.": "没有用户名为 {username} 的维修工程师。",
    "{label}: {value}": "{label}：{value}",
    "Wrote {file}.": "已写入 {file}。",
}
