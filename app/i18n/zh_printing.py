"""Simplified Chinese texts of the printing area (English source -> 简体中文)."""

TEXT_ZH: dict[str, str] = {
    # document titles
    "After-sales service repair report": "售后服务维修单",
    "Work order": "派工单",
    # letterhead and footer
    "Address: {address}": "地址：{address}",
    "Service phone: {phone}": "服务电话：{phone}",
    "No. {number}": "单号：{number}",
    "Printed {time}": "打印时间：{time}",
    "Page {page} of {total}": "第 {page} 页 / 共 {total} 页",
    # sections
    "Customer": "客户信息",
    "Product": "产品信息",
    "Fault and repair": "故障及维修情况",
    "Charges": "收费明细",
    "Service times": "服务时效",
    "Customer feedback": "客户评价",
    "Dispatch": "派工信息",
    "On-site record (fill in by hand)": "现场服务记录（手工填写）",
    # fields
    "Phone": "联系电话",
    "Model": "产品型号",
    "Serial no.": "机身编号",
    "Invoice no.": "发票号码",
    "Warranty": "保修状态",
    "Service": "服务类型",
    "Reported fault": "故障描述",
    "Technician": "维修工程师",
    "Labour": "工时",
    "{minutes} min": "{minutes} 分钟",
    "Called": "报修时间",
    "Responded": "响应时间",
    "Arrived": "到达时间",
    "Cleared": "完工时间",
    "Comments": "客户意见",
    "Customer signature": "客户签字",
    "Technician signature": "工程师签字",
    "Date": "日期",
    "Head-office ref.": "总部单号",
    "Findings": "检测情况",
    "Charges (¥)": "收费合计（元）",
    "Paid by": "付款方式",
    "Part used": "使用配件",
    # handwriting lines
    "        Y      M      D": "        年      月      日",
    "        Y      M      D      h      m": "        年      月      日      时      分",
    # satisfaction
    "Very satisfied": "非常满意",
    "Satisfied": "满意",
    "Fair": "一般",
    "Dissatisfied": "不满意",
    # charge table
    "No.": "序号",
    "Type": "类别",
    "Item / part": "项目 / 配件名称",
    "Qty": "数量",
    "Unit price (¥)": "单价（元）",
    "Amount (¥)": "金额（元）",
    "No charges": "无收费项目",
    "Total": "合计",
    "RMB in words: {words}": "人民币（大写）：{words}",
    "Service promise: response within 30 minutes, on site within 24 hours, fault cleared "
    "within 24 hours. Please check the work and the charges before you sign; keep this sheet "
    "as your warranty record.":
        "服务承诺：30分钟内响应，24小时内到达现场，24小时内排除故障。请核对维修内容及收费后签字确认；"
        "本单为保修凭证，请妥善保管。",
    # service and command messages
    "Unknown document '{name}'; choose one of: {known}.": "未知的单据“{name}”，可选：{known}。",
    "Set up the station before printing.": "请先完成维修站设置再打印。",
    "Unknown paper size '{paper}'; use A4 or A5.": "未知的纸张尺寸“{paper}”，请使用 A4 或 A5。",
    "Error: order {number} was not found.": "错误：找不到工单 {number}。",
    "Error: {message}": "错误：{message}",
    "Error: cannot write {path}: {reason}": "错误：无法写入 {path}：{reason}",
    "Wrote {path}": "已生成 {path}",
}
