"""Simplified Chinese for the station's devices: joining a station, the device list, the
changes head office never received, and the sync messages of a device (issue 15)."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # sync.station_transport / app.services.sync_errors: a device head office stopped
    "Head office has stopped this device (its token was revoked). Contact head office. "
    "Nothing was lost: the changes head office never received stay in the outbox (list them "
    "with `repair-station unsent`).":
        "总部已停用本设备（其令牌已被吊销）。请联系总部。没有丢失任何数据：总部未收到的更改仍保留在"
        "待发送队列中（可用 `repair-station unsent` 列出）。",
    "Head office has stopped this device (its token was revoked). Call head office. The "
    "changes head office never received stay on this computer; the manager can list them "
    "(repair-station unsent).":
        "总部已停用本设备（其令牌已被吊销）。请致电总部。总部未收到的更改仍保留在本机上，"
        "站长可以列出它们（repair-station unsent）。",
    # app.services.sync_service / device_join
    "This token is for station {other}, not {code}.": "此令牌属于维修站 {other}，不是 {code}。",
    "The download of the station's data was stopped; it goes on from where it stopped next "
    "time.": "维修站数据的下载已停止；下次将从停止处继续。",
    "This data folder already holds a station; a device joins with an empty data folder.":
        "此数据文件夹中已有维修站；新设备须使用空的数据文件夹加入。",
    "This data folder is joining station {local}; the code given was {code}.":
        "此数据文件夹正在加入维修站 {local}；输入的站代码是 {code}。",
    "Head office does not support several devices per station yet (sync protocol {n}); ask "
    "head office to upgrade.":
        "总部尚不支持一个维修站使用多台设备（同步协议 {n}）；请联系总部升级。",
    # app.services.device_status: the .csv of unsent changes
    "Seq": "序号",
    "Data": "数据",
    "Record": "记录",
    "Action": "操作",
    "User": "用户",
    "Made at (UTC)": "时间（UTC）",
    "Summary": "摘要",
    # app.cli.sync_cmd
    "Downloading the station": "正在下载维修站数据",
    "Stopped. Run register again to go on from where it stopped.":
        "已停止。再次运行 register 即可从停止处继续。",
    "Joining failed": "加入失败",
    "Joined station {code} as device {n} ({name}): {done} records downloaded.":
        "已作为设备 {n}（{name}）加入维修站 {code}：已下载 {done} 条记录。",
    "Head office has not listed this station's devices yet (sync first).":
        "总部尚未列出本站的设备（请先同步）。",
    "never": "从未",
    "stopped": "已停用",
    "sent": "发送",
    "received": "接收",
    "{n} changes head office never received written to {path}.":
        "已将总部未收到的 {n} 条更改写入 {path}。",
    "{n} changes head office never received.": "总部未收到的更改共 {n} 条。",
    "Registered with no line as device {n} of station {code}; head office checks the token "
    "at the first sync.": "已离线登记为 {code} 站的第 {n} 台设备；首次同步时总部核验令牌。",
    "Registering with no line needs a device token (it begins d2., d3., …).":
        "离线登记需要设备令牌（以 d2.、d3. 等开头）。",
    "Restore another device's backup into this data folder first.":
        "请先把本站另一台设备的备份恢复到这个数据文件夹。",
    "see or export the changes head office never received": "查看或导出总部未收到的更改",
}
