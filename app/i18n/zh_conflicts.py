"""Simplified Chinese texts of settling sync conflicts and of sync failures said with what to
do next (app.services.sync_conflicts, app.services.sync_errors, app.ui.sync)."""

TEXT_ZH: dict[str, str] = {
    # sync failures (app.services.sync_errors)
    "Head office cannot be reached: the network is down or the head-office server is not "
    "running. Check this computer's network connection, then press F9 to sync again. "
    "Nothing is lost: pending changes stay on this computer.":
        "无法连接总部：网络不通，或总部服务器没有运行。请检查本机的网络连接（网线、Wi-"
        "Fi），然后按 F9 重新同步。数据不会丢失：待上传的变更保存在本机。",
    "Head office did not answer in time (the line is slow or head office is busy). Press "
    "F9 to try again in a few minutes. Nothing is lost: pending changes stay on this "
    "computer.":
        "总部没有及时应答（线路慢或总部繁忙）。请过几分钟按 F9 再试。数据不会丢失：待"
        "上传的变更保存在本机。",
    "The connection to head office broke off during the sync. Press F9 to try again; what"
    " was already sent is kept.":
        "同步过程中与总部的连接中断。请按 F9 再试；已发送的内容会保留。",
    "This computer could not confirm it is talking to the real head office (its "
    "certificate is not trusted). Check the head-office address and the company CA bundle"
    " under Register with head office; if both are right, ask head office's IT. Nothing "
    "was sent.":
        "本机无法确认连接的是真正的总部（证书不受信任）。请在“注册到总部”中检查总部地址"
        "和公司 CA 证书文件；如果都没错，请联系总部 IT。本次未发送任何数据。",
    "Head office no longer accepts this station's token (wrong or replaced). Ask head "
    "office for a new token and register again (the manager: Register with head office). "
    "Nothing is lost: pending changes stay on this computer.":
        "总部不再接受本站的令牌（令牌错误或已更换）。请向总部索取新令牌，由站长重新注册（"
        "注册到总部）。数据不会丢失：待上传的变更保存在本机。",
    "Head office has revoked this station's token. Call head office; once they issue a "
    "new one, the manager registers again. Nothing is lost: pending changes stay on this "
    "computer.":
        "总部已吊销本站的令牌。请致电总部；总部发放新令牌后，由站长重新注册。数据不会丢失"
        "：待上传的变更保存在本机。",
    "Head office needs a newer version of this program. Install the update from head "
    "office, then sync again. Nothing is lost: pending changes stay on this computer.":
        "总部要求使用更新版本的本程序。请安装总部提供的更新后再同步。数据不会丢失：待上传"
        "的变更保存在本机。",
    "Head office and this station disagree about how far the sync got. Press F9 to sync "
    "again; if this message comes back, tell head office (HTTP {status}).":
        "总部与本站对同步进度的记录不一致。请按 F9 再同步一次；如果仍出现此提示，请告"
        "知总部（HTTP {status}）。",
    "Head office no longer holds the older changes this station asked for; the next sync "
    "downloads head office's data afresh. Press F9 to sync again.":
        "总部已不再保存本站所要的较早变更；下次同步将重新下载总部的全部数据。请按 F9 "
        "再同步一次。",
    "Head office's server reported a fault (HTTP {status}). Try again later with F9; if "
    "it lasts, tell head office. Nothing is lost: pending changes stay on this computer.":
        "总部服务器出现故障（HTTP {status}）。请稍后按 F9 再试；如果持续"
        "出现，请告知总部。数据不会丢失：待上传的变更保存在本机。",
    "Head office's answer could not be read: the address may not be the head-office sync "
    "service, or the program versions do not match. Check the head-office address; if it "
    "is right, tell head office.":
        "总部的应答无法读取：该地址可能不是总部的同步服务，或双方程序版本不匹配。请检查总"
        "部地址；地址无误时请告知总部。",
    "Head office refused the request (HTTP {status}). Press F9 to try again; if it comes "
    "back, tell head office.":
        "总部拒绝了本次请求（HTTP {status}）。请按 F9 再试；如果再次出现"
        "，请告知总部。",
    "The head-office address is not usable. The manager registers again with the address "
    "head office gave (it starts with https://).":
        "总部地址无法使用。请站长用总部提供的地址（以 https:// 开头）重新注册。",
    "The sync stopped on an unexpected problem. Press F9 to try again; if it comes back, "
    "restart the program and tell head office.":
        "同步因意外问题中断。请按 F9 再试；如果再次出现，请重启程序并告知总部。",
    # settling (app.services.sync_conflicts)
    "Order type": "工单类型",
    "Service mode": "服务方式",
    "Contact phone": "联系电话",
    "This conflict has no fields to choose between.": "此冲突没有可供选择的字段。",
    "Choose how to settle {name}.": "请选择“{name}”的处理方式。",
    "Choose how to settle the cancel.": "请选择如何处理总部的取消。",
    "This conflict was already settled by {user}.": "此冲突已由 {user} 处理。",
    "{name}: {value} is not a choice this station knows.": "{name}：本站不认识“{value}”这个选项。",
    "head office cancelled it": "总部取消",
    # the page (app.ui.sync.conflicts, app.ui.sync.conflict_detail)
    "Waiting to be settled": "待处理",
    "Settled {time} by {user}": "{user} 于 {time} 处理",
    "Conflict settled; head office hears of it at the next sync.":
        "冲突已处理；下次同步时通知总部。",
    "Choose a conflict above to see both sides.": "请在上方选择一条冲突，查看双方内容。",
    "{kind}: {subject}": "{kind}：{subject}",
    "This station: {ours}\nHead office: {theirs}": "本站：{ours}\n总部：{theirs}",
    "Field": "字段",
    "Both started from": "原值（双方起点）",
    "Your choice": "处理方式",
    "Keep ours": "保留本站",
    "Take head office's": "采用总部",
    "Edit": "编辑",
    "Completion kept": "确认保留完工",
    "Order cancelled": "已取消工单",
    "Noted": "已知悉",
    "(not known)": "（不详）",
    "(empty)": "（空）",
    "Settle with these choices": "按所选处理",
    "Confirm: keep the completion": "确认保留完工",
    "Cancel the order": "取消工单",
    "Mark settled": "标记已处理",
    "A finished order cannot be cancelled; reopen it first if head office is right.":
        "已结束的工单不能取消；如果总部是对的，请先重新打开工单。",
    "Settled by {user} at {time}.": "由 {user} 于 {time} 处理。",
    "{field}: {choice} → {value}": "{field}：{choice} → {value}",
    "Note: {note}": "说明：{note}",
    "A head-office part number clashes with one here": "总部配件编号与本站配件冲突",
    "Head office answered an unknown parts order": "总部答复了本站没有的零件订单",
    "Head office answered a cancelled parts order": "总部答复了已取消的零件订单",
    "Head office named an unknown old part": "总部提到了本站没有的旧件",
    "service_order": "工单",
    "part": "配件",
    "parts_order": "零件订单",
    "old_part": "旧件",
    # explanations per kind
    "Head office changed this order while the station was changing it too. For each field, "
    "keep the station's value, take head office's, or type the right one; the order is saved "
    "with your choice and head office is told how it was settled.":
        "本站修改这张工单的同时，总部也修改了它。请逐项选择：保留本站的值、采用总部的值，"
        "或填写正确的值；工单按您的选择保存，并通知总部处理结果。",
    "Head office cancelled this order after the station had finished the work. Keep the "
    "completion (the usual answer: the work was done), or cancel the order if head office is "
    "right.":
        "本站完工之后，总部取消了这张工单。请确认保留完工（通常如此：活已经干完），"
        "如果总部是对的，也可以取消工单。",
    "Head office refused one of the station's changes and did not store it. Read the reason, "
    "put it right at the station (or with head office), then mark it settled.":
        "总部拒收了本站的一条变更，没有保存。请查看原因，在本站（或与总部一起）改正后，"
        "标记为已处理。",
    "Head office reported a clash with one of the station's changes. Read the details, agree "
    "with head office what is right, then mark it settled.":
        "总部报告本站的一条变更与总部冲突。请查看详情，与总部商定正确做法后，标记为已处理。",
    "Head office sent a change for an order this station does not have. Ask head office "
    "whether the order was sent to the right station, then mark it settled.":
        "总部发来的变更涉及本站没有的工单。请向总部确认工单是否派错了站点，然后标记为已处理。",
    "Head office sent data this version of the program does not know. Nothing was changed "
    "here; after the program is updated it can be applied. Mark it settled once you have "
    "noted it.":
        "总部发来了本版本程序不认识的数据，本站没有任何改动；升级程序后即可应用。"
        "知悉后请标记为已处理。",
    "Head office sent a change that could not be applied (its data was not valid). Nothing "
    "was changed here; tell head office, then mark it settled.":
        "总部发来的变更无法应用（数据无效），本站没有任何改动。请告知总部，然后标记为已处理。",
    "A catalogue part from head office has the same part number as a different part at this "
    "station. Check the part with head office, then mark it settled.":
        "总部配件目录中的一个配件与本站另一个配件编号相同。请与总部核对该配件，然后标记为已处理。",
    "Head office answered a parts order this station does not have. Ask head office which "
    "station it belongs to, then mark it settled.":
        "总部答复了一张本站没有的零件订单。请向总部确认它属于哪个站点，然后标记为已处理。",
    "Head office confirmed or shipped a parts order the station had cancelled (or not yet "
    "submitted). Agree with head office whether the parts are coming, then mark it settled.":
        "总部确认或发运了本站已取消（或尚未提交）的零件订单。请与总部确认配件是否会到，"
        "然后标记为已处理。",
    "Head office received or inspected an old part this station does not have. Check the tag "
    "number with head office, then mark it settled.":
        "总部收到或检验了一个本站没有的旧件。请与总部核对旧件标签号，然后标记为已处理。",
    "Sync found a disagreement it could not settle on its own. Read both sides, then mark it "
    "settled.":
        "同步发现了一处无法自动解决的分歧。请查看双方内容，然后标记为已处理。",
    # registration reachable whatever the state (app.ui.sync.status)
    "Register with head office first (manager: the arrow beside 立即同步).":
        "请先向总部注册（站长：点“立即同步”旁的箭头）。",
    "This station is not registered with head office yet; ask the manager to register it.":
        "本站尚未向总部注册，请站长注册。",
}
