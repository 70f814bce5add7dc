"""Chinese for the encrypted store: the key, its recovery key and the encryption of a plain
database (``app/store/store_key.py``, ``key_seal.py``, ``sqlite_driver.py``,
``store_encryption.py``, ``backup_checks.py``)."""

TEXT_ZH = {
    "This is not a valid recovery key: it has nine groups of four letters and digits. Check "
    "each group against the printed sheet.":
        "这不是有效的恢复密钥：恢复密钥共九组，每组四个字母或数字。请对照打印的恢复密钥单逐组核对。",
    "The station key kept on this PC ({where}) is damaged. Open the data with the recovery "
    "key.":
        "本机保存的维修站密钥（{where}）已损坏。请用恢复密钥打开数据。",
    "The station's data in {path} cannot be opened with this key: it belongs to another "
    "station or PC. Open it with this station's recovery key.":
        "无法用此密钥打开 {path} 中的维修站数据：该密钥属于另一个维修站或另一台电脑。"
        "请用本站的恢复密钥打开。",
    "The station's data in {path} is encrypted and this PC does not hold its key. Enter the "
    "station's recovery key (printed when the station was set up).":
        "{path} 中的维修站数据已加密，本机没有它的密钥。请输入本站的恢复密钥（建站时打印的恢复密钥单上）。",
    "Encrypting the station's data was stopped: the encrypted copy did not match the "
    "original ({detail}). Nothing was changed.":
        "维修站数据加密已停止：加密后的副本与原数据不一致（{detail}）。原数据未作任何改动。",
}
