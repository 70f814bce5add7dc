"""Simplified Chinese texts of the sync area (English source -> 简体中文)."""

TEXT_ZH: dict[str, str] = {
    # errors and refusals (sync.client, app.services.sync_*)
    "Head office does not accept this station's token (wrong or replaced). Ask head office for "
    "a new token and register again. Nothing was lost: pending changes stay in the outbox.":
        "总部不接受本站的令牌（令牌错误或已更换）。请向总部索取新令牌并重新注册。"
        "数据没有丢失：待上传的变更仍保存在本机。",
    "Head office has revoked this station's token. Contact head office. Nothing was lost: "
    "pending changes stay in the outbox.":
        "总部已吊销本站的令牌，请联系总部。数据没有丢失：待上传的变更仍保存在本机。",
    "Head office needs a newer version of Repair Station (sync protocol {n} or later). Please "
    "upgrade the program; pending changes stay in the outbox.":
        "总部要求使用更新版本的维修站程序（同步协议 {n} 或更高）。请升级程序；"
        "待上传的变更仍保存在本机。",
    "Head office cannot be reached ({detail}). Working offline; pending changes stay in the "
    "outbox and are sent at the next sync.":
        "无法连接总部（{detail}）。当前离线工作；待上传的变更保存在本机，下次同步时发送。",
    "Head office gave an unexpected answer (HTTP {status}: {detail}).":
        "总部返回了意外的应答（HTTP {status}：{detail}）。",
    "Head office reported an error ({detail}) several times; try again later. Pending changes "
    "stay in the outbox.":
        "总部多次报告错误（{detail}），请稍后再试。待上传的变更仍保存在本机。",
    "Head office moved the pull cursor backwards ({seq}).": "总部的下载位置发生倒退（{seq}）。",
    "The head-office certificate could not be verified ({detail}). Check the address and the "
    "company CA bundle.":
        "无法验证总部的证书（{detail}）。请检查总部地址和公司 CA 证书文件。",
    "Head office asked for changes from {seq}, which does not fit what this station sent.":
        "总部要求从第 {seq} 条变更开始，与本站发送的内容不符。",
    "Head office refused the cursor of its own snapshot ({seq}).":
        "总部拒绝了其自身快照的下载位置（{seq}）。",
    "Head office does not speak sync protocol {n}; please upgrade the program.":
        "总部不支持同步协议 {n}，请升级程序。",
    "Head office sent an answer this program cannot read ({detail}).":
        "总部的应答无法读取（{detail}）。",
    "The sync was stopped because the program is closing; pending changes stay in the outbox.":
        "程序正在关闭，同步已停止；待上传的变更仍保存在本机。",
    "register the station with head office": "向总部注册本站",
    "resolve sync conflicts": "处理同步冲突",
    "Head-office address must look like https://hq.example.com.":
        "总部地址格式应类似 https://hq.example.com。",
    "Head office must be reached over https.": "必须通过 https 连接总部。",
    "Head office at {host} would be reached without https, which is allowed only on this "
    "computer; nothing was sent. Register again with the head-office https address.":
        "总部地址 {host} 未使用 https，只有本机地址才允许这样连接；本次未发送任何数据。"
        "请用总部的 https 地址重新注册本站。",
    "Station code must be 2-16 capital letters or digits.": "站点编码须为 2-16 位大写字母或数字。",
    "The token is required.": "请填写令牌。",
    "This station is {local}; the code given was {code}.": "本站编码为 {local}，填写的编码是 {code}。",
    "A sync is already running.": "同步正在进行中。",
    "The head-office token is missing; register the station again.":
        "缺少总部令牌，请重新注册本站。",
    "This station is not registered with head office yet.": "本站尚未向总部注册。",
    "conflict": "冲突",
    "notice": "公告",
    # commands (app.cli.sync_cmd)
    "No token on standard input.": "标准输入中没有令牌。",
    "Registration failed": "注册失败",
    "Registered with head office {url} as station {code}.": "已向总部 {url} 注册为站点 {code}。",
    "Sending": "上传",
    "Receiving": "下载",
    "Sync failed": "同步失败",
    "Sync finished: {pushed} changes sent, {pulled} received, {rejected} refused by head "
    "office.": "同步完成：上传 {pushed} 条变更，下载 {pulled} 条，总部拒收 {rejected} 条。",
    # head-office admin field names (sync.hq.admin)
    "Fault": "故障描述",
    "Reference": "总部参考号",
    # the window (app.ui.sync)
    "Notices": "业务公告",
    "Sync conflicts": "冲突",
    "Notices from head office: {total}, unread {unread}": "总部公告 {total} 条，未读 {unread} 条",
    "Title": "标题",
    "Published": "发布时间",
    "Show resolved": "显示已解决",
    "What was done about it": "处理说明",
    "Mark resolved": "标记已解决",
    "Sync conflicts to review: {n}": "待处理的同步冲突：{n}",
    "Register with head office": "注册到总部",
    "Register with head office…": "注册到总部…",
    "optional: company CA bundle (PEM)": "可选：公司 CA 证书文件（PEM）",
    "Browse…": "浏览…",
    "CA bundle": "CA 证书",
    "Head-office address": "总部地址",
    "Token": "令牌",
    "Sync now": "立即同步",
    "Not registered with head office": "未注册到总部",
    "Online": "在线",
    "Offline": "离线",
    "Not synced yet": "尚未同步",
    "last sync {time}": "上次同步 {time}",
    "conflicts {n}": "冲突 {n}",
    "unread notices {n}": "未读公告 {n}",
    "Sending {done}/{total}": "正在上传 {done}/{total}",
    "Receiving {done}": "已下载 {done}",
    "Registered. The first sync starts now.": "注册成功，现在开始首次同步。",
    "Head office cancelled finished work": "总部取消了已完工的工单",
    "Head office edited an order changed here": "总部修改了本站已改动的工单",
    "Head office refused a change": "总部拒收了一条变更",
    "Head office reported a clash": "总部报告了冲突",
    "Head office named an unknown order": "总部提到了本站没有的工单",
    "Head office sent something this version does not know": "总部发来了本版本不认识的数据",
    "Head office sent a change that could not be applied": "总部发来的变更无法应用",
    "Found": "发现时间",
    "Record": "记录",
    "This station": "本站",
    "Head office": "总部",
    "Resolved": "处理情况",
}
