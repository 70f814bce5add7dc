"""Chinese for the station key as people meet it (恢复密钥): the recovery key dialog at set-up
and log-in, the unlock dialog at start-up, the encryption progress, the settings page's
数据加密 section, the 恢复密钥单 paper and the ``unlock`` / ``recovery-key`` commands."""

TEXT_ZH: dict[str, str] = {
    # the service
    "see the station's recovery key": "查看本站的恢复密钥",
    "The recovery key was already saved. A manager sees it again in Settings with his "
    "password.": "恢复密钥已经妥善保存过了。站长可在“设置”中输入自己的密码再次查看。",
    "This is not this station's recovery key.": "这不是本站的恢复密钥。",
    "This station's data is not encrypted, so it has no recovery key.":
        "本站数据未加密，因此没有恢复密钥。",
    # the paper
    "Recovery key": "恢复密钥单",
    "Key ID": "密钥编号",
    "The station's recovery key (nine groups of four letters and digits):":
        "本站的恢复密钥（九组，每组四个字母或数字）：",
    "Letters that look alike are the same: O is 0, I and L are 1. Dashes and spaces may be "
    "left out when typing it.":
        "形状相近的字符视为相同：O 即 0，I 和 L 即 1。输入时可以省略短横线和空格。",
    "Keep it safe": "妥善保管",
    "Keep this sheet locked away, apart from the PC (a safe, or the head office's file). "
    "Do not photograph it or keep it on the PC.":
        "请把本单锁好，与电脑分开存放（保险柜或总部档案）。不要拍照，也不要存放在电脑上。",
    "This key is needed to open the station's data or a backup on another PC (a new PC, a "
    "repaired one, or this one after Windows was reinstalled). Without it such data cannot "
    "be read by anyone, not even by head office.":
        "在另一台电脑上（新电脑、修好的电脑，或重装 Windows 之后的本机）打开本站数据或备份时，"
        "需要这个密钥。没有它，任何人都无法读取这些数据，总部也不能。",
    "Anyone holding this key and a copy of the data can read every customer's name, phone "
    "and address: treat it like the key of the cash box.":
        "任何人拿到这个密钥和一份数据副本，就能读出所有客户的姓名、电话和地址："
        "请像保管钱箱钥匙一样保管它。",
    "The station manager sees the key again in Settings (数据加密) with his password; if this "
    "sheet is lost, print a new one there and destroy the old one.":
        "站长可在“设置”（数据加密）中输入自己的密码再次查看密钥；本单丢失时，"
        "请在那里重新打印一份，并销毁旧的。",
    "Kept by (signature): ____________________    Date: ______________":
        "保管人（签字）：____________________    日期：______________",
}
