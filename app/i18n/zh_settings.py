"""Chinese for the settings page (设置): app/services/station_settings.py and
app/ui/settings_page/."""

TEXT_ZH: dict[str, str] = {
    # permission
    "change the station's settings": "修改本站设置",
    # the service: images
    "Logo": "标志",
    "Stamp": "印章",
    "{label}: the file is empty.": "{label}：文件是空的。",
    "{label}: the image is {size} KB; at most {limit} KB is taken.":
        "{label}：图片有 {size} KB，最大只能 {limit} KB。",
    "{label}: only PNG or JPEG images are taken (this one is {format}).":
        "{label}：只能使用 PNG 或 JPEG 图片（此文件为 {format}）。",
    "{label}: the image is {width}×{height} pixels; each side must be {low} to {high} pixels.":
        "{label}：图片为 {width}×{height} 像素，每边须在 {low} 到 {high} 像素之间。",
    "{label}: the image is too large; each side must be {low} to {high} pixels.":
        "{label}：图片太大，每边须在 {low} 到 {high} 像素之间。",
    "{label}: the file is not a readable PNG or JPEG image.":
        "{label}：该文件不是可读取的 PNG 或 JPEG 图片。",
    "{label}: the file {path} cannot be read: {error}": "{label}：文件 {path} 无法读取：{error}",
    # the service: head office
    "The CA bundle must be a full path to a PEM file.": "CA 证书须为 PEM 文件的完整路径。",
    "The CA bundle {path} does not exist.": "CA 证书 {path} 不存在。",
    "The CA bundle {path} is not a PEM certificate file.": "CA 证书 {path} 不是 PEM 格式的证书文件。",
    "The CA bundle {path} is too large to be a certificate file.":
        "CA 证书 {path} 太大，不像证书文件。",
    "The CA bundle {path} cannot be read: {error}": "CA 证书 {path} 无法读取：{error}",
    "Register the station with head office first; the register dialog takes the CA bundle "
    "too.": "请先向总部注册本站；注册对话框中也可以填写 CA 证书。",
    "The sync interval must be {low} to {high} minutes.": "同步间隔须为 {low} 到 {high} 分钟。",
    # the service: the rest
    "The language must be one of: {known}.": "语言须为以下之一：{known}。",
    "The language could not be saved: {error}": "无法保存语言设置：{error}",
    "Unknown document '{name}'.": "未知单据“{name}”。",
    "{document} prints on {papers} only.": "{document}只能打印在 {papers} 纸上。",
    "Printer": "打印机",
    "Set up the station first.": "请先设置本站。",
    # the page
    "Settings": "设置",
    "Save (Ctrl+S)": "保存 (Ctrl+S)",
    "Settings saved.": "设置已保存。",
    "Some settings were refused; see the marked fields.": "部分设置未被接受，请查看标红的项目。",
    "The settings have changes that are not saved yet.": "设置有尚未保存的修改。",
    "Save them before leaving?": "离开前保存吗？",
    # 站点信息与抬头
    "Station and letterhead": "站点信息与抬头",
    "Service phone": "服务电话",
    "Logo (beside the name)": "标志（印在站名左侧）",
    "Stamp (in the station-stamp box)": "印章（印在盖章栏内）",
    "Choose…": "选择…",
    "Remove": "移除",
    "Images (*.png *.jpg *.jpeg)": "图片 (*.png *.jpg *.jpeg)",
    "{format}, {width}×{height} pixels": "{format}，{width}×{height} 像素",
    "PNG or JPEG, at most 2 MB": "PNG 或 JPEG，最大 2 MB",
    # 总部连接
    "Head-office connection": "总部连接",
    "Register…": "注册…",
    "Register again…": "重新注册…",
    "Connection": "连接",
    "Test connection": "测试连接",
    "Testing…": "正在测试…",
    "Head office answered; the token works.": "总部已应答，令牌有效。",
    "Sync every": "同步间隔",
    " min": " 分钟",
    # 打印
    "Printed document": "单据",
    "System default printer": "系统默认打印机",
    "{name} (not connected)": "{name}（未连接）",
    "As last printed": "沿用上次打印的选择",
    # 语言
    "Language": "语言",
    "Interface language": "界面语言",
    "Takes effect the next time the program starts.": "下次启动程序时生效。",
    # 备份
    "Backups": "备份",
    "Backup folder": "备份文件夹",
    "empty: the data folder's backups": "留空：数据文件夹中的 backups",
    "Backups go to {folder}": "备份保存在 {folder}",
    "Daily backup": "每日备份",
    "daily from ": "每天 ",
    "Back up now": "立即备份",
    "Backing up the station…": "正在备份本站数据…",
    "Backup made: {path}": "备份完成：{path}",
    "Last backup": "上次备份",
    "No backup yet": "尚无备份",
    "{time} ({kind}), {count} attachments": "{time}（{kind}），附件 {count} 个",
    "daily": "每日自动",
    "manual": "手动",
    "before an upgrade": "升级前",
    "before a restore": "恢复前",
}
