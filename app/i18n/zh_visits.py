"""Simplified Chinese texts of return visits (回访): the aspects and the scale, the call
script, the service's refusals, the queue page and the visit form: English source -> 简体中文.
"""

TEXT_ZH: dict[str, str] = {
    # the aspects and the scale (app.domain.visits)
    "Response speed": "响应速度",
    "Service attitude": "服务态度",
    "Repair quality": "维修质量",
    "Fair price": "收费合理",
    "Very dissatisfied": "非常不满意",
    "Dissatisfied": "不满意",
    "Fair": "一般",
    "Satisfied": "满意",
    "Very satisfied": "非常满意",
    # the call script
    "Hello, this is {station} after-sales service. May I speak with {customer}?":
        "您好，这里是{station}售后服务部。请问是{customer}吗？",
    "We repaired your {product} on {completed} (order {number}). May we take one minute "
    "to ask how it went?":
        "我们在{completed}为您维修了{product}（工单{number}），想占用您一分钟做个回访，可以吗？",
    "Please rate each from 1 to 5, where 5 is very satisfied and 1 very dissatisfied:":
        "请您按1到5分评价，5分非常满意，1分非常不满意：",
    "How fast did we respond and arrive?": "我们的响应和上门速度您满意吗？",
    "How was the technician's attitude?": "师傅的服务态度怎么样？",
    "Is the product working well now — how was the repair?": "产品现在使用正常吗？维修质量怎么样？",
    "Were the charges fair and explained to you?": "收费合理吗？师傅有没有向您说明收费？",
    "Is there anything else you would like to tell us?": "您还有其他意见或建议吗？",
    "Thank you for your time. If anything is wrong, please call us on {phone}.":
        "感谢您的配合！如有问题请拨打{phone}与我们联系。",
    "We are sorry about that. May we open a complaint, so that the station manager follows "
    "it up with you?": "非常抱歉给您带来不便。我们为您登记投诉，由站长跟进处理，可以吗？",
    # the service
    "make return visits": "做回访",
    "Days to call back": "回访期限（天）",
    "Choose a score from 1 to 5 for each of the four aspects.": "请为四项分别选择1到5分。",
    "Choose a score from 1 to 5 for {aspect}.": "请为“{aspect}”选择1到5分。",
    "The score for {aspect} must be a whole number from 1 to 5.":
        "“{aspect}”的评分必须是1到5的整数。",
    "Only a completed order is called back; this one is {status}.":
        "只有已完工的工单才能回访；此工单{status}。",
    "Record the return visit with its four satisfaction scores (the return-visit form).":
        "回访须在回访窗口中录入四项满意度评分。",
    "Complaint": "投诉内容",
    "Related order": "关联工单",
    "A complaint can only name an order of the same customer.": "投诉只能关联同一客户的工单。",
    # the page and the form
    "Return visits": "回访",
    "Return visit": "回访",
    "Return visit {number}": "回访 {number}",
    "Completed": "完工时间",
    "Due": "回访期限",
    "Calls": "未接通",
    "Last call": "上次拨打",
    "Overdue": "已逾期",
    "{count} waiting, {overdue} overdue": "待回访 {count} 单，逾期 {overdue} 单",
    "Nothing to call back.": "没有待回访的工单。",
    "Call script": "回访话术",
    "Choose an order in the list to call.": "请在列表中选择要回访的工单。",
    "Order {number} · {customer} · {phone}": "工单 {number} · {customer} · {phone}",
    "Completed {completed}, call by {due}": "完工 {completed}，应在 {due} 前回访",
    "Unreachable calls: {calls}": "未接通 {calls} 次",
    "Score 1-5 (keys 1-5 in a row; Ctrl+Enter saves)": "评分 1-5（每行可按数字键1-5；Ctrl+Enter保存）",
    "Open a complaint (转投诉)": "转投诉",
    "Complaint text": "投诉内容",
    "Note of the call (optional)": "拨打说明（可不填）",
    "No answer": "无人接听",
    "Save visit": "保存回访",
    "Call {time}: {note}": "{time} 拨打：{note}",
    "Call recorded at {time}.": "已记录 {time} 的未接通电话。",
    "Visit of order {number} saved.": "工单 {number} 的回访已保存。",
    "Visit of order {number} saved; complaint {complaint} opened.":
        "工单 {number} 的回访已保存；已生成投诉单 {complaint}。",
    "The customer is dissatisfied ({aspects}).": "客户不满意（{aspects}）。",
    "Return visit of {number}: dissatisfied with {aspects}.": "工单{number}回访不满意：{aspects}。",
    "{aspect} {score}": "{aspect}{score}分",
    "Customer's words: {comments}": "客户意见：{comments}",
    "Related order:": "关联工单：",
    "Complaints about this order:": "本单投诉：",
    "Visit scores:": "回访评分：",
}
