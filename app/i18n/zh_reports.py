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
    # report sla (服务时效)
    "Response time: from the call to the order's acceptance (promise: 30 minutes).":
        "响应时间：从受理来电到接单（承诺 30 分钟内）。",
    "Arrival time: from the call to the technician's arrival, on-site orders only "
    "(promise: 24 hours). An order not yet arrived is left out of the arrival figures, "
    "not counted as 0.":
        "到场时间：从受理来电到工程师到达现场，只统计上门服务的工单（承诺 24 小时内）。"
        "尚未到场的工单不计入到场时间（不按 0 计）。",
    "Clearing time: from the arrival (start of work) to the fault cleared "
    "(promise: 24 hours). An order not yet cleared is left out.":
        "排除故障时间：从到场（开始维修）到故障排除（承诺 24 小时内）。尚未排除的工单不计入。",
    "A time exactly at the promise counts as within it. The 90th percentile is the "
    "smallest time that at least 90% of the measured orders did not exceed.":
        "恰好等于承诺时限的计为达标。90 分位数是至少 90% 的工单未超过的最短时间。",
    "An empty cell means no order was measured.": "空白表示没有可统计的工单。",
    "Promise": "服务承诺",
    "Orders measured": "统计工单数",
    "Average": "平均",
    "90th percentile": "90 分位数",
    "Promised within": "承诺时限",
    "Within the promise": "达标工单数",
    "Share within the promise": "达标率",
    "Service times by order type": "服务时效按工单类型",
    "Response: average": "响应平均",
    "Response: 90th percentile": "响应 90 分位",
    "Response: share within": "响应达标率",
    "Arrival: average": "到场平均",
    "Arrival: 90th percentile": "到场 90 分位",
    "Arrival: share within": "到场达标率",
    "Clearing: average": "排除故障平均",
    "Clearing: 90th percentile": "排除故障 90 分位",
    "Clearing: share within": "排除故障达标率",
    "By day": "按日",
    "By week (from Monday)": "按周（周一起）",
    "By month": "按月",
    "Period starting": "统计期起始日",
    "Share within the promise by type": "各类型工单达标率",
    "Share within the promise over time": "达标率走势",
    # report repeats (返修率)
    "Repeat repairs": "返修率",
    "First orders: the repair orders called in the range (of the chosen order type, when one "
    "is chosen) that were completed and name a product; the filters apply to them.":
        "首次工单：统计期内受理、已完工且登记了产品的报修工单（选了工单类型时为该类型）；"
        "筛选条件作用于首次工单。",
    "A repeat: the same product (the same product record, or another record of the same "
    "model with the same serial number) comes back with a new repair order, not cancelled, "
    "called after the first order's completion and at the latest on the 90th day after "
    "the day of completion (local days: the 90th day counts, the 91st does not).":
        "返修：同一产品（同一产品档案，或型号相同、机号相同的另一产品档案）在首次工单完工之后、"
        "完工当日起第 90 天结束之前又报修（未取消的报修工单；按本地日期计，第 90 天算，"
        "第 91 天不算）。",
    "Repeat rate: repeats / first orders. The technician is the first order's; first "
    "orders without a technician show as not assigned.":
        "返修率 = 返修数 / 首次工单数。工程师为首次工单的工程师；未派工的首次工单记在“未派工”。",
    "Still open: first orders whose 90 days have not all passed yet; their figure may "
    "still grow.": "观察期未满：90 天尚未过完的首次工单，其返修数仍可能增加。",
    "Repeat repairs by model": "返修率按型号",
    "First orders": "首次工单数",
    "Repeats": "返修数",
    "Repeat rate": "返修率",
    "Still open": "观察期未满",
    "Repeat repairs by technician": "返修率按工程师",
    "Repeat rate by model": "各型号返修率",
    "Repeat rate by technician": "各工程师返修率",
    # report satisfaction (满意度)
    "Orders are counted by the day they were called in; the filters apply to the visited "
    "order.": "工单按受理日期统计；筛选条件作用于被回访的工单。",
    "Scores come from the completed return visits (1 = very dissatisfied, 5 = very "
    "satisfied); a dimension the customer did not score is left out of its average.":
        "评分取自已完成的回访（1 分 = 非常不满意，5 分 = 非常满意）；客户未评分的项目不计入该项平均分。",
    "All dimensions: the average of every score given, each dimension's score counted once.":
        "全部项目：所有已给评分的平均分，每一项评分各计一次。",
    "Complaints: the orders of type complaint called in the range; the filters apply to the "
    "complaint order itself. The list shows at most 1,000 of them, the newest first.":
        "投诉：统计期内受理的投诉工单；筛选条件作用于投诉工单本身。清单最多列出 1,000 张，最新的在前。",
    "Satisfaction by dimension": "满意度按评价项目",
    "Dimension": "评价项目",
    "Scores given": "评分次数",
    "Average score": "平均分",
    "Score 1": "1 分",
    "Score 2": "2 分",
    "Score 3": "3 分",
    "Score 4": "4 分",
    "Score 5": "5 分",
    "All dimensions": "全部项目",
    "Complaints by status": "投诉按状态",
    "Complaints": "投诉数",
    "Complaint list": "投诉清单",
    "About order": "被投诉工单",
    "Technician of that order": "被投诉工单的工程师",
    "Average score by dimension": "各项目平均分",
    "Scores given by dimension": "各项目评分分布",
    # report parts (配件)
    "Parts": "配件",
    "Consumption: the units issued onto service orders in the range less those returned "
    "unused, and the units sold over the counter less voided sales, by the day of the "
    "movement; valued at today's station price.":
        "消耗：统计期内领用到服务工单的数量减去退回数量，加上柜台销售数量减去作废销售数量，"
        "按出入库日期统计；按当前服务站价计值。",
    "With a technician, order type, category or source filter, only parts issued onto the "
    "matching orders count and counter sales are left out.":
        "按工程师、工单类型、产品类别或来源筛选时，只统计领用到符合条件工单的配件，不含柜台销售。",
    "Stock value: the units in stock (the sum of the ledger's movements; old parts are not "
    "stock) times today's station price, now and at the start and end of the range. The "
    "filters do not apply to the stock, its turnover or the slow movers.":
        "库存金额：库存数量（出入库流水之和；旧件不计入库存）乘以当前服务站价，"
        "分别为当前、统计期初和统计期末。筛选条件不适用于库存、周转率和呆滞配件。",
    "Turnover: the consumption of all parts in the range (at station price) divided by the "
    "average stock value, the mean of the value at the start and at the end of the range.":
        "周转率：统计期内全部配件的消耗金额（按服务站价）除以平均库存金额（期初与期末库存金额的平均值）。",
    "Slow movers: parts in stock now with no issue or sale in the last 90 days (counted from "
    "the last issue or sale, or from the first movement of a part never issued).":
        "呆滞配件：当前有库存、最近 90 天没有领用或销售的配件（从最后一次领用或销售起算，"
        "从未领用的从第一笔出入库起算）。",
    "The consumption and slow-mover lists show the 200 largest by value; their totals cover "
    "all parts.": "消耗清单和呆滞清单按金额列出前 200 项；合计包括全部配件。",
    "Parts consumed": "配件消耗",
    "Onto orders": "工单领用",
    "Sold": "柜台销售",
    "Units consumed": "消耗数量",
    "Stock value and turnover": "库存金额与周转率",
    "Parts in stock": "有库存的配件数",
    "Units in stock": "库存数量",
    "Stock value now": "当前库存金额",
    "Stock value at the start": "期初库存金额",
    "Stock value at the end": "期末库存金额",
    "Average stock value": "平均库存金额",
    "Consumption (all parts)": "消耗金额（全部配件）",
    "Turnover": "周转率",
    "Slow movers": "呆滞配件",
    "Last issued or sold": "最后领用或销售",
    "Days without issue": "未领用天数",
    "Parts consumed by value": "配件消耗金额",
    "Slow movers by value": "呆滞配件金额",
    # report claims (索赔)
    "Batches of the claim months the range touches (a month counts when any of its days is "
    "in the range), once submitted; drafts are left out.":
        "统计期涉及的索赔月份（该月任一天在统计期内即算）中已提交的索赔单；草稿不计。",
    "Claimed: every line's amount. Approved: lines head office approved in full. Adjusted: "
    "what head office granted for the lines it adjusted; Cut: what it took off them. "
    "Rejected: the claimed amount of rejected lines. Undecided: lines not yet answered. "
    "Claimed = approved + adjusted + cut + rejected + undecided; granted = approved + "
    "adjusted.":
        "索赔金额：各明细金额之和。核准：总部全额通过的明细。调整：总部对调整明细核定的金额；"
        "核减：调整时减去的金额。驳回：被驳回明细的索赔金额。未审核：总部尚未答复的明细。"
        "索赔金额 = 核准 + 调整 + 核减 + 驳回 + 未审核；实得 = 核准 + 调整。",
    "The technician, order type, category and source filters apply to each line's order.":
        "工程师、工单类型、产品类别和来源筛选作用于每条明细所属的工单。",
    "Rejection reasons are head office's words, counted as written.":
        "驳回原因为总部填写的原文，按原文分别计数。",
    "Claims by month": "索赔按月份",
    "Batches": "索赔单数",
    "Line count": "明细条数",
    "Adjusted": "调整后金额",
    "Cut": "核减",
    "Rejected": "驳回金额",
    "Undecided": "未审核金额",
    "Granted": "实得金额",
    "Claims by batch": "索赔按索赔单",
    "Batch number": "索赔单号",
    "Rejection reasons": "驳回原因",
    "Claimed amounts by decision": "索赔金额按审核结果",
    # report technicians (技师绩效)
    "Technician performance": "技师绩效",
    "Orders: the orders called in the range assigned to the technician; cleared: those of "
    "them whose fault has been cleared. Orders without a technician are shown in a row with "
    "an empty name.":
        "工单数：统计期内受理、派给该工程师的工单；已排除：其中故障已排除的工单。"
        "未派工的工单列在工程师一栏为空的一行。",
    "Average times as in the service times report: response from the call to acceptance, "
    "arrival from the call to arrival (on-site orders), clearing from arrival to cleared; "
    "orders lacking either time are left out.":
        "平均时间与服务时效报表相同：响应为受理到接单，到场为受理到到达现场（上门服务工单），"
        "排除故障为到场到故障排除；缺少任一时间的工单不计入。",
    "Repeat rate as in the repeat repairs report: completed repairs whose product came back "
    "with a new repair within 90 days.":
        "返修率与返修率报表相同：已完工的报修工单，其产品在 90 天内再次报修。",
    "Satisfaction: the average of every score (1-5) given in the completed return visits of "
    "the technician's orders.": "满意度：该工程师工单已完成回访中全部评分（1-5 分）的平均值。",
    "Orders cleared": "已排除故障工单数",
    "Orders cleared by technician": "各工程师排除故障工单数",
    "Average score by technician": "各工程师平均分",
}

LABELS_ZH: dict[str, str] = {
    "NoOne.TECHNICIAN": "未派工",
}
