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
    # the recovery key dialog (set-up, manager log-in, settings)
    "Recovery key — Repair Station": "恢复密钥 — 维修站管理系统",
    "The station's data on this PC is encrypted. This recovery key opens it on another PC, "
    "or on this one after Windows was reinstalled. Print it (or write it down) now and lock "
    "it away.":
        "本机上的维修站数据已加密。这个恢复密钥用于在另一台电脑上（或重装 Windows 后的本机）"
        "打开这些数据。请现在把它打印出来（或抄写下来）并锁好。",
    "If it is lost: this PC goes on working, but when this PC breaks, Windows is reinstalled "
    "or the data moves to another PC, the station's data and backups cannot be opened "
    "without it. Nobody can recover it, not even head office. Anyone who holds it and a copy "
    "of the data can read every customer's details: keep it locked away, never beside the "
    "PC.":
        "如果丢失：本机照常使用；但本机损坏、重装 Windows 或数据换到另一台电脑时，没有它就打不开"
        "本站的数据和备份，谁也找不回来，总部也不能。任何人拿到它和一份数据副本，就能读出所有"
        "客户的信息：请锁好保管，不要放在电脑旁边。",
    "I have printed the key or written it down, and it is locked away (&K)":
        "我已打印或抄下恢复密钥，并已锁好(&K)",
    "&Print": "打印(&P)",
    "&Copy": "复制(&C)",
    "I have &saved it": "我已妥善保存(&S)",
    "The recovery key sheet was sent to the printer. Check that it printed, then lock it "
    "away.": "恢复密钥单已发送到打印机。请确认打印完整，然后锁好。",
    "Copied. Paste it somewhere safe away from this PC (not a file on this PC), then clear "
    "the clipboard.":
        "已复制。请粘贴到这台电脑以外的安全地方（不要存成本机上的文件），然后清空剪贴板。",
    "Tick the box once the key is printed or written down.":
        "打印或抄下密钥后，请先勾选上面的确认框。",
    "The recovery key must be saved before going on: print it or write it down, tick the box "
    "and press 我已妥善保存.":
        "继续之前必须保存恢复密钥：请打印或抄写下来，勾选确认框，再按“我已妥善保存”。",
    # the unlock dialog at start-up
    "Enter the recovery key — Repair Station": "输入恢复密钥 — 维修站管理系统",
    "The recovery key is on the sheet 恢复密钥单 printed when the station was set up (the "
    "station manager keeps it). Type its nine groups; spaces, dashes and small letters do "
    "not matter. Once it opens the data, this PC keeps the key and does not ask again.":
        "恢复密钥印在建站时打印的“恢复密钥单”上（由站长保管）。请输入上面的九组字符，"
        "空格、短横线和大小写都不影响。打开数据后，本机会保存密钥，以后不再询问。",
    "&Recovery key:": "恢复密钥(&R)：",
    "&Open": "打开(&O)",
    "Type the recovery key first.": "请先输入恢复密钥。",
    "This recovery key does not open this station's data: it is another station's key. "
    "Check the station name on the sheet.":
        "这个恢复密钥打不开本站的数据：它是另一个维修站的密钥。请核对恢复密钥单上的站点名称。",
    "The key could not be checked or kept on this PC: {error}":
        "无法核对密钥或把它保存在本机：{error}",
    # encrypting a plain database at start-up
    "Encrypting the database": "加密数据库",
    "Encrypting the photos": "加密照片",
    "Encrypting the backups": "加密备份",
    "Encrypting the station's data": "正在加密本站数据",
    "{step}…\n\nThe station's data is being encrypted so that a copy of it "
    "cannot be read without this PC's key. This runs once and cannot be stopped: the "
    "program opens the data when it is done.":
        "{step}…\n\n正在加密本站数据，加密后没有本机的密钥就读不出数据副本。"
        "这一步只做一次，不能中途停止：完成后程序会自动打开数据。",
    # the settings page's 数据加密 section
    "Data encryption": "数据加密",
    "Key kept in": "密钥保存位置",
    "The station's data on this PC is not encrypted.": "本机上的维修站数据未加密。",
    "System keyring (protected by this PC's user log-in: Windows Credential Manager or the "
    "desktop's keyring)":
        "系统密钥环（由本机用户登录保护：Windows 凭据管理器或桌面系统的密钥环）",
    "User file (readable only by this PC's user; used where no system keyring answers: "
    "someone who can log in as this user can read it)":
        "用户文件（只有本机的这个用户能读取；在没有系统密钥环时使用：能以该用户登录的人可以读到它）",
    "The recovery key opens the station's data and backups on another PC. Keep the printed "
    "sheet locked away; print a new one here if it is lost.":
        "恢复密钥用于在另一台电脑上打开本站的数据和备份。请把打印的恢复密钥单锁好；"
        "丢失时可在这里重新打印。",
    "See the recovery &key…": "查看恢复密钥(&K)…",
    "See the recovery key": "查看恢复密钥",
    "Type your own password again to see the station's recovery key. This is recorded in "
    "the audit.": "请再次输入您自己的密码以查看本站的恢复密钥。此操作会记入审计日志。",
    "&Password:": "密码(&P)：",
    "Show": "显示",
    # the commands: repair-station unlock / recovery-key show / demo, and every command
    "To open it on this PC: repair-station unlock --recovery-key-stdin":
        "要在本机打开它，请运行：repair-station unlock --recovery-key-stdin",
    "The station's data in {folder} is not encrypted yet, so it needs no recovery key: it is "
    "encrypted at the next start.":
        "{folder} 中的维修站数据尚未加密，不需要恢复密钥：下次启动时会自动加密。",
    "Recovery key: ": "恢复密钥：",
    "No recovery key on standard input.": "标准输入中没有恢复密钥。",
    "This recovery key does not open the station's data in {folder}: it is another station's "
    "key.": "这个恢复密钥打不开 {folder} 中的维修站数据：它是另一个维修站的密钥。",
    "The recovery key opens the station's data (key ID {key_id}); this PC now keeps the key "
    "({where}).": "恢复密钥已打开维修站数据（密钥编号 {key_id}）；本机现已保存该密钥（{where}）。",
    "Password: ": "密码：",
    "Key ID {key_id}. Keep the recovery key locked away: whoever holds it and a copy of the "
    "data reads every customer.":
        "密钥编号 {key_id}。请锁好恢复密钥：任何人拿到它和一份数据副本，就能读出所有客户的信息。",
    "Recovery key (opens this data on another PC; the manager is shown it at the first "
    "log-in): {key}": "恢复密钥（在另一台电脑上打开这些数据时需要；站长首次登录时也会看到）：{key}",
}
