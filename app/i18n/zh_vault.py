"""Chinese for the encrypted attachments and backups (加密的照片和备份): the vault's refusals,
the backup checks' wrong-key problem and the restore's recovery-key questions."""

TEXT_ZH: dict[str, str] = {
    # the vault
    "The file {name} is missing from the station's attachments folder.":
        "本站附件文件夹中缺少文件 {name}。",
    "The file {name} was encrypted by another station or PC: this station's key does not "
    "open it.": "文件 {name} 是另一个维修站或另一台电脑加密的，本站的密钥打不开它。",
    "The file {name} is encrypted and the station's key is not available.":
        "文件 {name} 已加密，但本站的密钥不可用。",
    "The file {name} in the station's attachments folder is damaged.":
        "本站附件文件夹中的文件 {name} 已损坏。",
    # the photo viewer
    "The photo {name} cannot be shown: it is not an image this program reads.":
        "照片 {name} 无法显示：本程序读不了这种图像。",
    "Photo: {name}": "照片：{name}",
    # backups: checks and restore
    "The database {path} is encrypted with another key (another station's, or one this PC "
    "does not hold): it opens only with that station's recovery key.":
        "数据库 {path} 是用另一个密钥加密的（另一个维修站的，或本机没有保存的），"
        "只有那个站点的恢复密钥才能打开。",
    "its first page does not decrypt": "它的第一页无法解密",
    "This recovery key belongs to another station: it does not open the backup {path}. "
    "Nothing was changed.": "这个恢复密钥属于另一个维修站，打不开备份 {path}。没有做任何更改。",
    "The backup {path} is encrypted with another station's key (or this PC does not hold the "
    "station's key yet). Restore it with that station's recovery key: repair-station restore "
    "FILE --recovery-key-stdin":
        "备份 {path} 是用另一个站点的密钥加密的（或者本机还没有保存本站的密钥）。"
        "请用那个站点的恢复密钥恢复：repair-station restore 文件 --recovery-key-stdin",
    "Recovery key (nine groups of four, as on the printed sheet): ":
        "恢复密钥（九组，每组四个字符，与打印的密钥单相同）：",
    "The newest backup, from {time} (station {station}), is encrypted with a key this PC does "
    "not hold. Enter that station's recovery key (the printed sheet) to restore it.":
        "最新的备份（{time}，站点 {station}）是用本机没有的密钥加密的。"
        "请输入那个站点的恢复密钥（打印的密钥单）来恢复它。",
    "Recovery &key:": "恢复密钥(&K)：",
}
