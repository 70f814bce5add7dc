"""Chinese for backups and recovery (app/store/backups.py, app/services/backups.py,
app/services/recovery.py, app/cli/backup_cmd.py, app/ui/startup/recovery_dialog.py)."""

TEXT_ZH: dict[str, str] = {
    # permissions
    "back up the station": "备份本站数据",
    "change where and when the station is backed up": "更改本站的备份位置和时间",
    # the service (settings page)
    "A sync is running; try the backup again when it has finished.":
        "正在同步，请同步完成后再备份。",
    "The backup hour must be a whole hour from 0 to 23.": "备份时间须为 0 到 23 之间的整点。",
    "The backup folder must be a full path (for example D:\\备份).":
        "备份文件夹须为完整路径（例如 D:\\备份）。",
    "The backup folder {folder} cannot be written: {error}": "备份文件夹 {folder} 无法写入：{error}",
    # what is wrong with a file (app/store/backup_checks.py)
    "The file {path} does not exist.": "文件 {path} 不存在。",
    "The file {path} cannot be read: {error}": "文件 {path} 无法读取：{error}",
    "The file {path} is empty (zero bytes).": "文件 {path} 是空的（0 字节）。",
    "The file {path} is not a database file.": "文件 {path} 不是数据库文件。",
    "The file {path} is cut short: {size} bytes of the {expected} its header promises.":
        "文件 {path} 不完整：只有 {size} 字节，文件头标明应有 {expected} 字节。",
    "The database {path} is damaged: {error}": "数据库 {path} 已损坏：{error}",
    "The file {path} is not a repair-station database.": "文件 {path} 不是维修站的数据库。",
    "The backup {path} has schema version {revision}, newer than this program understands; "
    "install the newer program to restore it.":
        "备份 {path} 的数据结构版本为 {revision}，比本程序新；请安装新版程序后再恢复。",
    "The backup {path} has schema version {revision}, which this program does not know.":
        "备份 {path} 的数据结构版本 {revision} 本程序无法识别。",
    # the recovery offer (start-up dialog and headless commands)
    "The station data cannot be opened: {problem}": "无法打开本站数据：{problem}",
    "The newest good backup is from {time} (station {station}).":
        "最新的完好备份制作于 {time}（站点 {station}）。",
    "Restoring it loses what was entered on this computer after {time}. Changes already sent "
    "to head office stay there; head office's dispatches, edits and notices come again at "
    "the next sync.":
        "恢复后，本机在 {time} 之后录入的内容将丢失。已上传到总部的数据仍保存在总部；"
        "总部的派单、修改和通知会在下次同步时重新下载。",
    "The damaged file is kept in the backup folder (replaced-….sqlite3).":
        "损坏的文件会保留在备份文件夹中（replaced-….sqlite3）。",
    "No usable backup was found in {folder}. The damaged file is left as it is; ask your "
    "dealer or head office for help.":
        "在 {folder} 中没有找到可用的备份。损坏的文件保持原样，请联系经销商或总部协助。",
    'To restore it: repair-station restore "{path}"': '恢复此备份：repair-station restore "{path}"',
    # the commands (app/cli/backup_cmd.py)
    "Backed up station {station} to {path} ({time}; {photos} photos).":
        "已备份站点 {station} 到 {path}（{time}；照片 {photos} 张）。",
    "Also written as {file}.": "另存为 {file}。",
    "The backup file must end in .zip.": "备份文件名须以 .zip 结尾。",
    "unknown": "未知",
    "Backup of station {station} ({name}) made {time}, schema {revision}.":
        "站点 {station}（{name}）的备份，制作于 {time}，数据结构版本 {revision}。",
    "Restoring it replaces the station data in {folder}: what was entered after the backup "
    "is lost on this computer (the current database is kept in the backup folder).":
        "恢复将替换 {folder} 中的站点数据：备份之后在本机录入的内容将丢失"
        "（当前数据库会保留在备份文件夹中）。",
    "Restore this backup? Type y to confirm: ": "确定恢复此备份吗？输入 y 确认：",
    "Cancelled; nothing was changed.": "已取消，未做任何更改。",
    "The Repair Station window is open on this station and did not close. Close it, then "
    "restore again.":
        "维修站程序窗口正在使用本站数据，且没有关闭。请先关闭窗口，再执行恢复。",
    "The replaced database is kept as {file}.": "被替换的数据库保留为 {file}。",
    "Restored. The next sync sends the changes since the backup's last sync and fetches head "
    "office's changes again.":
        "恢复完成。下次同步时会上传备份以来未同步的更改，并重新下载总部的更改。",
    # the start-up dialog (app/ui/startup/recovery_dialog.py)
    "Station data damaged — Repair Station": "站点数据已损坏 — 维修站",
    "&Restore this backup": "恢复此备份(&R)",
    "&Quit": "退出(&Q)",
    "The backup could not be restored: {error}": "无法恢复此备份：{error}",
    # the daily backup in the window (app/ui/startup/backup_timer.py)
    "The daily backup found the station database damaged: {error}\nThe last good backups are "
    "kept. Close the program; at the next start it offers the newest good backup.":
        "每日备份发现站点数据库已损坏：{error}\n之前完好的备份都已保留。请关闭程序，"
        "下次启动时会提供最新的完好备份供恢复。",
}
