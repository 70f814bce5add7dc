"""Simplified Chinese texts of the parts area (catalogue, stock, sales, counts, orders to head
office, old parts): English source -> 简体中文."""

TEXT_ZH: dict[str, str] = {
    "Quantity must be a whole number from {low} to {high}.": "数量必须是 {low} 到 {high} 之间的整数。",
    "Only {have} {unit} of {part} in stock; {wanted} cannot be taken.":
        "{part} 库存仅剩 {have} {unit}，无法出库 {wanted}。",
}
