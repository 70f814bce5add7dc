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
}
