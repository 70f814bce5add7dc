"""Chinese of the window for a station of several devices (issue 15): the sync indicator's
devices, the settings page's 本站设备, joining an existing station at first run, the device
clashes and stock shortages on the conflict desk and the parts page."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # app/ui/sync/device_text.py
    "Device {n}": "设备 {n}",
    "never synced": "从未同步",
    "not synced for {days} days": "{days} 天未同步",
    "synced {time}": "{time} 同步",
    "synced yesterday {time}": "昨天 {time} 同步",
    "(revoked)": "（已停用）",
    # app/ui/sync/status.py
    "Other devices of this station:": "本站其他设备：",
    "This device is revoked by head office": "本机已被总部停用",
    # app/ui/settings_page/devices.py
    "Device": "设备",
    "Letter": "编号字母",
    "Last upload": "最近上传",
    "Last download": "最近下载",
    "Data": "数据",
    "Action": "操作",
    "Made at": "时间",
    "Summary": "摘要",
    "Export the unsent changes": "导出未送达总部的更改",
    "this device": "本机",
    "in use": "在用",
    "primary": "主设备",
    "revoked": "已停用",
    "Devices of this station": "本站设备",
    "Changes head office never received": "未送达总部的更改",
    "&Export CSV…": "导出 CSV(&E)…",
    "&Refresh": "刷新(&R)",
    "Head office has not listed this station's devices yet: they appear after the next "
    "sync.": "总部尚未列出本站的设备：下次同步后显示。",
    "This device: {name} (device {n}).": "本机：{name}（第 {n} 台设备）。",
    "Head office has revoked this device: it can no longer sync. The changes below never "
    "reached head office; export them and enter them again on a device of the station that "
    "still syncs.": "总部已停用本机：本机不能再同步。下列更改总部从未收到，请导出后在本站仍在使用的"
                    "设备上重新录入。",
    "{n} unsent changes exported.": "已导出 {n} 条未送达的更改。",
}
TEXT_ZH.update({
    # app/ui/startup/join_dialog.py, setup_dialog.py
    "&Join an existing station…": "加入已有维修站(&J)…",
    "Downloading the station's records: {done} of {total}…": "正在下载本站数据：{done} / {total}…",
    "Downloading head office's catalogue and the station's records…":
        "正在下载总部目录和本站数据…",
    "Connecting to head office…": "正在连接总部…",
    "Joining the station": "加入维修站",
    "Stopping after the current page…": "当前一页下载完后停止…",
    "Stopping…": "正在停止…",
    "Join an existing station": "加入已有维修站",
    "This PC becomes another device of a repair station head office already knows. Ask head "
    "office for this device's token; it is shown once.":
        "本电脑将成为总部已登记的维修站的另一台设备。请向总部索取本设备的令牌，令牌只显示一次。",
    "Device token": "设备令牌",
    "Back": "返回",
    "&Join": "加入(&J)",
    "&Continue the download": "继续下载(&C)",
    "The download stopped with {done} of {total} station records loaded. Continue now, or "
    "close: the next start offers to continue where it stopped.":
        "下载已停止：本站数据已下载 {done} / {total}。可以现在继续，也可以关闭：下次启动时会从停止处"
        "继续下载。",
})
TEXT_ZH["This PC began joining a station and the download stopped before it was complete."] = (
    "本电脑加入维修站时下载未完成。")
TEXT_ZH.update({
    # app/ui/sync/device_conflicts.py (kinds, explanations, panels)
    "Another device of the station changed this first": "本站另一台设备先改过",
    "The order's status was merged between devices": "设备之间合并了工单状态",
    "Stock short: two devices issued the same units": "库存短缺：两台设备领用了同一批库存",
    "This device changed the record before it had received another device's newer version, "
    "so head office kept the other version. Keep this device's values (they are sent again as "
    "a new change) or take the other device's (already here).":
        "本机修改这条记录时还没有收到另一台设备的较新版本，总部保留了另一台设备的版本。"
        "可以保留本机的值（作为新的修改再次发送），或采用对方的值（本机已有）。",
    "Two devices changed this order's status while offline; head office kept the one further "
    "along (finished before cancelled before open) and every device now has it. Keep it, or "
    "take the other device's values back.":
        "两台设备离线时都改了这张工单的状态；总部保留了进展更远的状态（完工优先于取消，取消优先于"
        "未完成），所有设备现已一致。可以保留它，或改回对方的值。",
    "Two devices, offline, both issued or sold the last units of this part, so the stock shows "
    "less than nothing. Nothing was undone: count the part (盘点) or receive it, then mark the "
    "shortage settled.":
        "两台设备离线时都领用或卖出了这个配件的最后库存，所以库存显示为负数。没有撤销任何记录："
        "请盘点或入库这个配件，然后标记短缺已处理。",
    "Number": "编号",
    "Issued to an order": "工单领用",
    "This device": "本机",
    "The other device": "对方设备",
    "Keep this device's (&O)": "保留本机(&O)",
    "Take the other device's (&T)": "采用对方(&T)",
    "What": "类型",
    "For": "单号",
    "Count this &part…": "盘点该配件(&P)…",
    "The stock of this part is no longer short.": "这个配件的库存已不再短缺。",
    "On hand {n} (short)": "现有 {n}（短缺）",
    # app/ui/parts/count_page.py, stock_page.py, shortages.py
    "Open a count, then scan {part} to count it.": "请先开始盘点，再扫描 {part} 盘点该配件。",
    "Stock short: two devices issued the same units while offline. Count the part to put it "
    "right.": "库存短缺：两台设备离线时领用了同一批库存。请盘点该配件以更正库存。",
    "{n} short": "{n} 短缺",
    "Taken out by": "领用记录",
    "Stock shortages": "库存短缺",
    "Two devices of the station issued the same units while offline. Count these parts (or "
    "receive them) to put the stock right, then settle the shortage on the conflicts page.":
        "本站两台设备离线时领用了同一批库存。请盘点（或入库）这些配件以更正库存，然后在冲突页面"
        "处理短缺。",
})
# the unsent changes list names its rows' data and action through the catalogue
TEXT_ZH.update({
    "stock": "库存",
    "Station details": "站点信息",
    "create": "新建",
    "update": "修改",
    "setup": "设立",
    "upsert": "保存",
    "delete": "删除",
    "event": "记录",
    "No &line now: this device was set up from another device's backup (head office checks "
    "the token at the first sync)":
        "暂不连接总部(&L)：本机由本站另一台设备的备份建立（首次同步时总部核验令牌）",
})
# the window's review (several devices): long names, a clerk's view, shortcuts
TEXT_ZH.update({
    "This device: {name}": "本机：{name}",
    "Only the station manager can settle a stock shortage.": "库存短缺只能由站长处理。",
    "Mark &settled": "标记已处理(&S)",
})
# the unsent changes list: the data every device sends, and actions by their area
TEXT_ZH.update({
    "repair_record": "维修记录",
    "attachment": "附件",
    "sync_conflict": "同步冲突",
    "stock_movement": "出入库记录",
    "part_setting": "配件货位设置",
    "stock_reservation": "配件预留",
    "stock_count": "盘点单",
    "old_part_shipment": "旧件返厂单",
    "claim_batch": "索赔单",
    "feedback_card": "质量反馈卡",
    "return_visit": "回访记录",
    "order_payment": "工单收款",
    "customer_erasure": "客户信息删除",
    "order_signature": "客户签字",
    "notification": "通知",
    "notification_state": "通知状态",
    "dispatch_order": "总部派工",
    "order_update": "总部修改工单",
    "cancel_order": "总部取消工单",
    "parts_order_update": "订购单更新",
    "old_part_inspection": "旧件鉴定",
    "warranty_policy": "三包政策",
    "claim_decision": "索赔审核结果",
    "claim_settlement": "索赔结算",
    "Notification": "通知",
    "Stock change": "库存变动",
    "Claim": "索赔",
    "Clash settled": "处理设备冲突",
    "Quality feedback": "质量反馈",
    "Part setting": "配件设置",
    "Warranty policy": "三包政策",
    "Parts catalogue": "配件目录",
})
# app/ui/startup/join_dialog.py: a failed join in the words of joining
TEXT_ZH.update({
    "Head office cannot be reached: check its address and this PC's network connection, then "
    "press Join again.": "无法连接总部：请检查总部地址和本电脑的网络连接，然后再按“加入”。",
    "Head office does not accept this device token: check it against the one head office gave "
    "for this PC (it is shown once when the device is added).":
        "总部不接受这个设备令牌：请与总部为本电脑添加设备时给出的令牌核对（令牌只显示一次）。",
    "Head office has stopped this device token. Ask head office for a new one.":
        "总部已停用这个设备令牌，请向总部索取新令牌。",
})
# app/ui/sync/device_conflicts.py: the fields of an order clash in words
TEXT_ZH.update({
    "Responded at": "响应时间",
    "Arrived at": "到达时间",
    "Cleared at": "排除故障时间",
    "(another record)": "（另一条记录）",
})
