"""Chinese for the report output area (see app/i18n/__init__.py): the .csv/.xlsx exports, the
printed statistics paper and ``repair-station report``."""

TEXT_ZH: dict[str, str] = {
    # exports (app/services/report_export.py)
    "Unknown export format {format}; use csv, xlsx or pdf.":
        "未知的导出格式 {format}；请用 csv、xlsx 或 pdf。",
    "The folder {folder} does not exist; choose an existing folder for the file.":
        "文件夹 {folder} 不存在；请选择一个已有的文件夹保存文件。",
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
}
