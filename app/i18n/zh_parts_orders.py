"""Simplified Chinese texts of orders of parts to head office: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # entities and labels (app/services/parts_orders.py)
    "parts order": "配件订单",
    "Parts order": "配件订单",
    "Parts order number": "配件订单号",
    "Part": "配件",
    "Note": "说明",
    "Cancel reason": "取消原因",
    # what a role may not do
    "order parts from head office": "向总部订购配件",
    "receive parts": "配件到货入库",
    # suggestions
    "At or below its low-stock threshold": "已到库存下限",
    "Orders are waiting for it": "有工单待件",
    # rules
    "A parts order holds at most {n} lines.": "一张配件订单最多 {n} 行。",
    "Choose the part of every line.": "请为每一行选择配件。",
    "Part {part} is not in the catalogue.": "配件目录中没有配件 {part}。",
    "Part {part} is no longer supplied by head office.": "总部已停止供应配件 {part}。",
    "Part {part} is entered twice; enter it once with the whole quantity.":
        "配件 {part} 录入了两次，请合并为一行并填写总数量。",
    "Parts order {number} is {status}; only a draft can be edited.":
        "配件订单 {number} {status}，只有草稿可以修改。",
    "Parts order {number} is {status}; only a draft can be submitted.":
        "配件订单 {number} {status}，只有草稿可以提交。",
    "Add at least one part before submitting the order.": "请至少添加一种配件后再提交订单。",
    "Parts order {number} is {status}; only a draft or a submitted order can be cancelled.":
        "配件订单 {number} {status}，只有草稿或已提交的订单可以取消。",
    "Enter the quantity received of at least one part.": "请至少填写一种配件的到货数量。",
    "Nothing of parts order {number} has been shipped yet.": "配件订单 {number} 总部尚未发货。",
    "Parts order {number} is {status}; nothing more can be received on it.":
        "配件订单 {number} {status}，不能再入库。",
    "Part {part} is not on parts order {number}.": "配件 {part} 不在配件订单 {number} 中。",
    "Only {awaiting} {unit} of {part} were shipped and not yet received; {wanted} cannot be "
    "received.":
        "{part} 总部已发货但未入库的只有 {awaiting} {unit}，不能入库 {wanted}。",
}
