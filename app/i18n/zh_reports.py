"""Chinese for the station's reports (统计报表): their titles, tables, columns and notes."""

TEXT_ZH: dict[str, str] = {
    "Order statistics": "工单统计",
    "Order count": "工单数",
    "Orders by status": "工单按状态",
    "Orders by type": "工单按类型",
    "Orders by source": "工单按来源",
    "Share": "占比",
    "Orders are counted by the day they were called in.": "工单按受理日期统计。",
    "The end date {end} is before the start date {start}.": "结束日期 {end} 早于开始日期 {start}。",
    "A report covers at most {days} days.": "一张报表最多统计 {days} 天。",
    "There is no report {name}; the reports are: {known}.": "没有报表 {name}；现有报表：{known}。",
    "read the station's reports": "查看本站报表",
}
