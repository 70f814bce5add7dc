"""Simplified Chinese texts of parts on service orders, reservations, old parts and their return shipments: English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    # parts on orders (app/services/order_parts.py, the part lines in orders.py)
    "issue parts": "领用配件",
    "return parts": "退回配件",
    "reserve parts": "预留配件",
    "release reserved parts": "取消预留配件",
    "Charge line": "费用明细",
    "Reason": "原因",
    "Line {line}: parts from stock are added by issuing them to the order.":
        "第 {line} 行：库存配件须通过领用加入工单。",
    "Line {line}: the parts line '{description}' changes only by issuing or returning parts.":
        "第 {line} 行：配件明细「{description}」只能通过领用或退回配件来修改。",
    "The parts line '{description}' can only be removed by returning the part to stock.":
        "配件明细「{description}」只能通过将配件退回库存来删除。",
    "Only {free} {unit} of {part} can be issued to this order: {held} of the {have} in stock "
    "are reserved for other orders.":
        "{part} 本工单最多只能领用 {free} {unit}：库存 {have} 中有 {held} 已为其他工单预留。",
    "At most {n} units of one part on an order.": "同一配件在一张工单上最多 {n} 个。",
    "Only {issued} {unit} of {part} were issued to this order; {wanted} cannot be returned.":
        "{part} 本工单只领用了 {issued} {unit}，无法退回 {wanted}。",
    "Parts go onto an order or come back from it only before it is completed; this order is "
    "{status}.": "只有完工前的工单才能领用或退回配件；此工单{status}。",
    "The old part {tag} is already in return shipment {shipment}; take it out of the "
    "shipment before returning the new part.":
        "旧件 {tag} 已装入返厂单 {shipment}；请先将其移出返厂单，再退回新配件。",
    # old parts and return shipments (app/services/old_parts.py)
    "old part": "旧件",
    "Old part": "旧件",
    "shipment": "返厂单",
    "Shipment": "返厂单",
    "pack old parts": "旧件装箱",
    "ship old parts": "旧件发运",
    "Choose the old parts to pack.": "请选择要装箱的旧件。",
    "A shipment holds at most {n} old parts.": "一张返厂单最多装 {n} 个旧件。",
    "The old part {tag} is {status}; only collected old parts can be packed.":
        "旧件 {tag} {status}；只有已回收的旧件才能装箱。",
    "That old part is not in shipment {number}.": "该旧件不在返厂单 {number} 中。",
    "Shipment {number} holds no old parts.": "返厂单 {number} 中没有旧件。",
    "Shipment {number} has already been shipped.": "返厂单 {number} 已发运。",
}
