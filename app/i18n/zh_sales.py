"""Simplified Chinese texts of counter sales and stock counts: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # counter sales (app/services/sales.py)
    "sale": "销售单",
    "part": "配件",
    "Sale": "销售单",
    "sell parts": "销售配件",
    "void sales": "作废销售单",
    "Void reason": "作废原因",
    "Discount (fen)": "优惠(分)",
    "A sale needs at least one line.": "销售单至少要有一行配件。",
    "At most {n} lines in one sale.": "一张销售单最多 {n} 行。",
    "Unknown payment method '{method}'.": "未知的付款方式“{method}”。",
    "A sale on account needs a customer from the customer files.":
        "挂账销售必须选择客户档案中的客户。",
    "A sale may total at most {limit} yuan.": "一张销售单的金额最多 {limit} 元。",
    "The discount ({discount} yuan) is more than the sale ({subtotal} yuan).":
        "优惠（{discount} 元）超过了销售金额（{subtotal} 元）。",
    "Only the manager may sell under the station price: the sale comes to {total} yuan, its "
    "parts cost the station {cost} yuan.":
        "低于站内价销售须由站长操作：本单实收 {total} 元，配件站内价合计 {cost} 元。",
    "Only the manager may sell {part} under its station price ({price} yuan).":
        "{part} 低于站内价（{price} 元）销售须由站长操作。",
    "{part} has no retail price in the catalogue; enter the unit price.":
        "{part} 在配件目录中没有零售价，请输入单价。",
    "Sale {number} was already voided.": "销售单 {number} 已经作废。",
    "The last day comes before the first.": "结束日期早于开始日期。",
    "Choose at most {n} days.": "最多选择 {n} 天。",
    # stock counts (app/services/stock_counts.py)
    "stock count": "盘点单",
    "Stock count": "盘点单",
    "Part number": "配件编号",
    "Shelf location": "货位",
    "Counted quantity": "实盘数量",
    "Adjustment reason": "调整原因",
    "open stock counts": "开始盘点",
    "enter counted quantities": "录入盘点数量",
    "post stock counts": "盘点过账",
    "Count {number} is still open; post it before opening another.":
        "盘点单 {number} 尚未过账，过账后才能开始新的盘点。",
    "No active part is on a shelf starting with '{prefix}'.":
        "没有货位以“{prefix}”开头的在用配件。",
    "There are no active parts to count.": "没有可盘点的在用配件。",
    "A count holds at most {n} parts; count one shelf location at a time.":
        "一次盘点最多 {n} 种配件，请按货位分批盘点。",
    "Count {number} was already posted.": "盘点单 {number} 已经过账。",
    "Nothing has been counted in {number} yet.": "盘点单 {number} 还没有录入任何盘点数量。",
    "Scan or type a part number.": "请扫描或输入配件编号。",
    "No part numbered '{number}' is in the catalogue.": "配件目录中没有编号为“{number}”的配件。",
    "Part {part} is not in count {number}.": "配件 {part} 不在盘点单 {number} 中。",
}
