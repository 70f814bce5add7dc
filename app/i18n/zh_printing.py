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
    "{label} (continued)": "{label}（续）",
    "Due from customer": "客户应付",
    "Claimed from maker": "厂家索赔",
    "Station stamp": "维修站盖章",
    # sections
    "Customer information": "客户信息",
    "Product information": "产品信息",
    "Fault and repair": "故障及维修情况",
    "Charge details": "收费明细",
    "Service times": "服务时效",
    "Customer feedback": "客户评价",
    "Dispatch": "派工信息",
    "On-site record (fill in by hand)": "现场服务记录（手工填写）",
    # fields
    "Contact phone": "联系电话",
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
    "    Y    M    D": "    年    月    日",
    "        Y      M      D      h      m": "        年      月      日      时      分",
    # satisfaction
    "Very satisfied": "非常满意",
    "Satisfied": "满意",
    "Fair": "一般",
    "Dissatisfied": "不满意",
    # charge table
    "No.": "序号",
    "Charge type": "类别",
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
    "Error: no station data in {folder}.": "错误：{folder} 中没有维修站数据。",
    "Error: {message}": "错误：{message}",
    "Error: cannot write {path}: {reason}": "错误：无法写入 {path}：{reason}",
    # a target the PDF may not replace (app/services/pdf_file.py)
    "{path} is a symbolic link; the PDF is not written through it. Choose another file name.":
        "{path} 是符号链接，PDF 不会经由它写入。请另选一个文件名。",
    "{path} is a folder; give the name of the PDF file to write.":
        "{path} 是文件夹，请给出要写入的 PDF 文件名。",
    "{path} is a named pipe (FIFO), not a file; the PDF is not written into it. Choose another "
    "file name.":
        "{path} 是命名管道（FIFO），不是文件，PDF 不会写入其中。请另选一个文件名。",
    "{path} is a device, not a file; the PDF is not written to it. Choose another file name.":
        "{path} 是设备，不是文件，PDF 不会写入其中。请另选一个文件名。",
    "{path} is not a regular file; the PDF is not written there. Choose another file name.":
        "{path} 不是普通文件，PDF 不会写到那里。请另选一个文件名。",
    "Wrote {path}": "已生成 {path}",
    # window: actions, preview, printing
    "Print preview": "打印预览",
    "Print": "打印",
    "Save as PDF": "另存为PDF",
    "Open in PDF viewer": "用系统查看器打开",
    "Batch print": "批量打印",
    "PDF files (*.pdf)": "PDF 文件 (*.pdf)",
    "Printing": "打印",
    "No program is set up to open PDF files.": "系统中没有可以打开 PDF 文件的程序。",
    "Printed {done} of {total}": "已打印 {done} / {total}",
    "Printing {count} orders": "正在打印 {count} 张工单",
    "Sent {pages} pages to the printer.": "已向打印机发送 {pages} 页。",
    "Printed {done} of {total} orders.": "已打印 {done} / {total} 张工单。",
    "Printing failed: {reason}": "打印失败：{reason}",
    "Print preview — {title} {number}": "打印预览 — {title} {number}",
    "Previous page": "上一页",
    "Next page": "下一页",
    "Zoom out": "缩小",
    "Zoom in": "放大",
    "Fit width": "适合页宽",
    "Print…": "打印…",
    "Save as PDF…": "另存为PDF…",
    "Building the document…": "正在生成单据…",
    "Paper": "纸张",
}
