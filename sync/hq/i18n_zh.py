"""Simplified Chinese for ``repair-station-hq`` (``sync.hq.i18n``): English source text ->
Chinese. Placeholders ({name}, %(name)s, %s) are kept exactly; a test checks every text the
command shows is here (tests/sync/hq/test_hq_i18n.py)."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # -- argparse's own words ---------------------------------------------------------------
    "usage: ": "用法:",
    "positional arguments": "位置参数",
    "options": "选项",
    "show this help message and exit": "显示本帮助并退出",
    "%(prog)s: error: %(message)s\n": "%(prog)s: 错误:%(message)s\n",
    "the following arguments are required: %s": "缺少必需的参数:%s",
    "invalid choice: %(value)r (choose from %(choices)s)":
        "无效的选项 %(value)r(可选:%(choices)s)",
    "unrecognized arguments: %s": "无法识别的参数:%s",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s:%(message)s",
    "expected one argument": "需要一个值",
    "expected at least one argument": "至少需要一个值",
    "expected at most one argument": "至多一个值",
    "invalid %(type)s value: %(value)r": "无效的 %(type)s 值:%(value)r",
    "ambiguous option: %(option)s could match %(matches)s":
        "选项不明确:%(option)s 可匹配 %(matches)s",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "one of the arguments %s is required": "必须给出参数 %s 之一",
    "ignored explicit argument %r": "忽略了显式参数 %r",
    "can't open '%(filename)s': %(error)s": "无法打开 '%(filename)s':%(error)s",
    # -- the command and its sub-commands (help) -------------------------------------------
    "Repair Station head-office server and admin.": "维修站总部服务器与管理命令。",
    "SQLAlchemy database URL (default sqlite:///./hq.sqlite3); PostgreSQL: "
    "postgresql+psycopg://user:password@host/dbname":
        "SQLAlchemy 数据库地址(默认 sqlite:///./hq.sqlite3);PostgreSQL:"
        "postgresql+psycopg://用户:密码@主机/库名",
    "the language of messages and help (default zh_CN; or REPAIR_STATION_HQ_LANG)":
        "提示与帮助的语言(默认 zh_CN;也可设 REPAIR_STATION_HQ_LANG)",
    "the language of messages and help": "提示与帮助的语言",
    "database URL": "数据库地址",
    "run the sync server": "运行同步服务器",
    "register a station; prints its token once": "登记维修站;其令牌只显示这一次",
    "revoke a station's token": "吊销维修站的令牌",
    "give a station a new token; the old one stops": "给维修站换新令牌;旧令牌随即失效",
    "dispatch service orders to a station": "向维修站派发服务工单",
    "cancel an order": "取消工单",
    "edit a dispatched order's fields": "修改已派工单的字段",
    "publish a notice": "发布通知",
    "confirm or ship a station's order of parts": "确认或发运维修站的零件订单",
    "list stations, last sync, backlog": "列出维修站、最近同步时间与待下发数",
    "list sync conflicts": "列出同步冲突",
    "after restoring head office from a backup: stations re-download":
        "总部从备份恢复之后:各维修站重新下载",
    "list station ops head office refused": "列出总部拒收的维修站操作",
    "old parts stations sent back: receive, inspect, list": "维修站返回的旧件:签收、鉴定、列表",
    "the parts catalogue stations pull": "维修站下载的配件目录",
    "the warranty policy (三包政策) stations pull": "维修站下载的三包政策",
    "stations' warranty claim batches: list, decide, settle": "维修站的三包索赔批次:列表、审核、结算",
    "the stations' quality feedback cards": "维修站的质量信息反馈单",
    "bring the database to this program's schema (back it up first)":
        "把数据库升级到本程序的结构(请先备份)",
    "drop old change-log tombstones": "清除过期的变更日志删除记录",
    "keep change-log tombstones this long (default 90)": "变更日志删除记录保留天数(默认 90)",
    "server processes (PostgreSQL; SQLite has one writer anyway)":
        "服务器进程数(PostgreSQL;SQLite 本就只有一个写入者)",
    "serve HTTPS with this certificate (PEM)": "以此证书提供 HTTPS(PEM)",
    "the certificate's private key (PEM)": "证书的私钥(PEM)",
    "orders from a .csv or .json file": "从 .csv 或 .json 文件读取工单",
    "head office's own reference": "总部自己的编号",
    "only this station (default: all)": "只发给此维修站(默认:全部)",
    "confirm a submitted order (per line: fewer)": "确认已提交的订单(可逐行减少数量)",
    "ship what is confirmed (per line: this shipment)": "发运已确认的数量(可逐行给出本次发运)",
    "this part's quantity (repeat per part); default: all": "该零件的数量(每个零件一次);默认:全部",
    "head office's note to the station": "总部给维修站的备注",
    "record an old part's inspection": "记录旧件的鉴定结果",
    "record that a return shipment's old parts arrived": "记录返件批次的旧件已到货",
    "list head office's answers": "列出总部的答复",
    "the old part's tag number (OP-...)": "旧件标签号(OP-...)",
    "the shipment number (RS-...)": "返件批次号(RS-...)",
    "publish or update parts from a CSV file (all rows or none)":
        "从 CSV 文件发布或更新配件(全部行或一行也不)",
    "columns part_no,name,specification,models,unit,retail_price,station_price,"
    "return_required,warranty_months":
        "列:part_no,name,specification,models,unit,retail_price,station_price,"
        "return_required,warranty_months",
    "publish the warranty policy from a CSV file (all rows or none)":
        "从 CSV 文件发布三包政策(全部行或一行也不)",
    "columns section,category,key,value,name,maintenance_months":
        "列:section,category,key,value,name,maintenance_months",
    "batches with their lines, amounts, decisions and flags": "批次及其明细、金额、审核结果与标记",
    "approve, adjust or reject lines of a submitted batch": "对已提交批次的明细逐行批准、调整或驳回",
    "send the statement of a batch whose lines are all decided": "为全部明细已审核的批次发出结算单",
    "only this station's batches": "只列此维修站的批次",
    "only batches in this state (repeat for several)": "只列此状态的批次(可重复给出)",
    "the batch's number (or id)": "批次号(或 id)",
    "approve | adjust:YUAN:REASON | reject:REASON (repeat per line)":
        "approve | adjust:金额(元):原因 | reject:原因(每行一次)",
    "approve every line not decided yet": "批准所有尚未审核的明细",
    "deduct this much from the approved amount (needs --reason)": "从批准金额中扣除此数(需 --reason)",
    "why the deduction is made": "扣款原因",
    "the statement's number (default ST-<station>-<yyyymm>-<nn>)":
        "结算单号(默认 ST-<站>-<年月>-<序号>)",
    "list the submitted cards": "列出已提交的反馈单",
    "part of the product model": "产品型号的一部分",
    # -- what the commands say -------------------------------------------------------------
    "error: {message}": "错误:{message}",
    "error: --lang must be zh_CN or en": "错误:--lang 只能是 zh_CN 或 en",
    "error: {url} is not a database URL": "错误:{url} 不是数据库地址",
    "error: cannot use database {url}: {reason}": "错误:无法使用数据库 {url}:{reason}",
    "The database {url} already has schema {head}; nothing to do.":
        "数据库 {url} 已是结构版本 {head},无需迁移。",
    "Head office's tables created in {url} (schema {head}).":
        "已在 {url} 建立总部的数据表(结构版本 {head})。",
    "The database {url} (made before head office had migrations) was recognised and brought "
    "to schema {head}; nothing was lost.":
        "已识别数据库 {url}(建于总部启用迁移之前),并升级到结构版本 {head},数据无任何丢失。",
    "The database {url} was migrated from schema {before} to {head}.":
        "数据库 {url} 已从结构版本 {before} 迁移到 {head}。",
    "port {port} is out of range": "端口 {port} 超出范围",
    "HTTPS needs both --ssl-certfile and --ssl-keyfile":
        "HTTPS 需要同时给出 --ssl-certfile 和 --ssl-keyfile",
    "--workers must be between 1 and 64": "--workers 必须在 1 到 64 之间",
    "Station {code} added. Its token is shown only now; give it to the station "
    "(repair-station register --token-stdin):":
        "已添加维修站 {code}。其令牌只在此显示一次,请交给该站"
        "(repair-station register --token-stdin):",
    "Station {code}'s token is revoked.": "维修站 {code} 的令牌已吊销。",
    "Station {code} has a new token; the old one no longer works:":
        "维修站 {code} 已换新令牌,旧令牌不再有效:",
    "{n} order(s) dispatched to {code}.": "已向 {code} 派发 {n} 张工单。",
    "Order {number} was already finished at the station: the cancel is sent but recorded as "
    "a conflict for a person to settle.":
        "工单 {number} 在维修站已完工:取消已发出,但记为冲突,待人工处理。",
    "Order {number} cancelled; the station learns it at its next sync.":
        "工单 {number} 已取消;维修站下次同步时得知。",
    "Order {number} updated; the station learns it at its next sync.":
        "工单 {number} 已修改;维修站下次同步时得知。",
    "Notice {id} published to {to}.": "通知 {id} 已发布给 {to}。",
    "all stations": "全部维修站",
    "{n} conflict(s). {settled} settled at the station.": "共 {n} 条冲突,其中 {settled} 条已在维修站处理。",
    "{n} rejected op(s).": "共 {n} 条被拒收的操作。",
    "Change log moved on to {first}: every station re-downloads head office's data "
    "(snapshot) at its next sync and re-sends what the backup lacks.":
        "变更日志已推进到 {first}:各维修站下次同步时重新下载总部数据(快照),"
        "并重新上传备份中缺少的内容。",
    "{n} change-log row(s) older than {days} days removed.":
        "已删除 {n} 条超过 {days} 天的变更日志记录。",
    "PART": "零件",
    "ORDERED": "订购",
    "CONFIRMED": "确认",
    "SHIPPED": "已发",
    "Parts order {number} {status}; the station learns it at its next sync.":
        "零件订单 {number}:{status};维修站下次同步时得知。",
    "confirmed": "已确认",
    "shipped": "已发运",
    "CODE": "站代码",
    "NAME": "名称",
    "LAST SYNC (UTC)": "最近同步(UTC)",
    "BACKLOG": "待下发",
    "HIGH WATER": "已收序号",
    "REVOKED": "已吊销",
    "yes": "是",
    "no": "否",
    "never": "从未",
    "{n} station(s).": "共 {n} 个维修站。",
    # -- devices of a station (issue 15) ------------------------------------------------------
    "add a device (PC, laptop) to a station; prints its token once":
        "为维修站添加一台设备(电脑、笔记本);其令牌只显示这一次",
    "what the station calls it": "设备名称(站内的叫法)",
    "list a station's devices, their last sync and backlog":
        "列出维修站的设备、最近同步与待下发",
    "revoke one device's token at once (a lost laptop)":
        "立即吊销一台设备的令牌(如丢失的笔记本)",
    "the device's number (devices CODE)": "设备编号(见 devices CODE)",
    "Device {number} ({name}) added to station {code}. Its token is shown only now; register "
    "the device with it (repair-station register --token-stdin):":
        "设备 {number}({name})已添加到维修站 {code}。其令牌只显示这一次;请用它登记该设备"
        "(repair-station register --token-stdin):",
    "NO.": "编号",
    "TAG": "字母",
    "LAST PUSH (UTC)": "最近上传(UTC)",
    "LAST PULL (UTC)": "最近下载(UTC)",
    "STATE": "状态",
    "revoked": "已吊销",
    "primary": "主设备",
    "active": "在用",
    "{n} device(s).": "共 {n} 台设备。",
    "Device {number} ({name}) of station {code} is revoked; it can no longer sync.":
        "维修站 {code} 的设备 {number}({name})已吊销,不能再同步。",
    "Last push: {push}. Last pull: {pull}. Head office holds its ops up to seq {high_water}; "
    "whatever the device made after that never reached head office.":
        "最近上传:{push}。最近下载:{pull}。总部收到的该设备操作截至序号 {high_water};"
        "此后该设备所做的一切总部都没有收到。",
    "The last ops head office received from it:": "总部最后收到的该设备操作:",
    "Head office never received an op from it.": "总部从未收到该设备的操作。",
    "Device {number} is now the station's primary device; it re-downloads head office's data "
    "at its next sync.": "设备 {number} 现为该站的主设备;下次同步时重新下载总部数据。",
    "Station {code} now has no active device; add one with add-device (or rotate-token for "
    "device 1).": "维修站 {code} 现已没有在用设备;请用 add-device 添加(或用 rotate-token "
                  "为 1 号设备换新令牌)。",
    "A device name is required (at most 64 characters).": "设备名称必填(最多 64 个字符)。",
    "Station {code} already has {n} devices, the most it can have.":
        "维修站 {code} 已有 {n} 台设备,已达上限。",
    "Station {code} has no device {number}.": "维修站 {code} 没有设备 {number}。",
    "The device name holds characters the station cannot show ({chars}); please remove them.":
        "设备名称中含有维修站无法显示的字符({chars}),请删除。",
    "Device {number} of station {code} is already revoked.":
        "维修站 {code} 的设备 {number} 已经吊销。",
    "Give either --file or --customer/--phone/--address, not both.":
        "请给出 --file 或 --customer/--phone/--address 之一,不能同时给出。",
    "dispatch needs --customer, --phone and --address (and --fault for a repair), or --file.":
        "派单需要 --customer、--phone 和 --address(维修单还要 --fault),或 --file。",
    # -- the database's schema (sync.hq.migrations) ----------------------------------------
    "The head-office database was made before head office had migrations; this program needs "
    "schema {head}. Back the database up, then run: repair-station-hq --db URL migrate":
        "总部数据库建于启用迁移之前;本程序需要结构版本 {head}。请先备份数据库,然后运行迁移:"
        "repair-station-hq --db URL migrate",
    "The head-office database has schema {current}; this program needs {head}. Back the "
    "database up, then run: repair-station-hq --db URL migrate":
        "总部数据库的结构版本是 {current},本程序需要 {head}。请先备份数据库,然后运行迁移:"
        "repair-station-hq --db URL migrate",
    "The head-office database has schema {current}, newer than this program knows. Install "
    "the newer repair-station-hq; the database was not touched.":
        "总部数据库的结构版本 {current} 比本程序更新。请安装更新版本的 repair-station-hq;"
        "数据库未被改动。",
    "The database has a table {table} without the columns {missing}: it is not a head office "
    "database this program knows, and was not touched.":
        "数据库中的表 {table} 缺少列 {missing}:它不是本程序认识的总部数据库,未被改动。",
    # -- admin (sync.hq.admin, sync.hq.checks) ---------------------------------------------
    "The station name is required (at most 64 characters).": "必须填写维修站名称(最多 64 个字符)。",
    "Station {code} already exists; use rotate-token for a new token.":
        "维修站 {code} 已存在;要换新令牌请用 rotate-token。",
    "No orders to dispatch.": "没有要派发的工单。",
    "A cancel reason is required (at most 200 characters).": "必须填写取消原因(最多 200 个字符)。",
    "Order {number} was already cancelled by head office.": "工单 {number} 已被总部取消过。",
    "Order {number} is already cancelled at the station.": "工单 {number} 在维修站已取消。",
    "Head office may edit only: {fields}.": "总部只能修改:{fields}。",
    "Order {number} was not dispatched by head office.": "工单 {number} 不是总部派发的。",
    "Order {number} was cancelled by head office; it cannot be edited.":
        "工单 {number} 已被总部取消,不能再修改。",
    "Order {number} is {status}; it cannot be edited.": "工单 {number} 状态为 {status},不能修改。",
    "A notice title is required (at most 200 characters).": "必须填写通知标题(最多 200 个字符)。",
    "A notice body is required (at most 20,000 characters).": "必须填写通知正文(最多 20,000 个字符)。",
    "No station {code}; add it with add-station first.": "没有维修站 {code};请先用 add-station 添加。",
    "No order {ref} is known to head office.": "总部没有工单 {ref}。",
    "{code} is not a station code (2-16 letters or digits).": "{code} 不是维修站代码(2-16 位字母或数字)。",
    # -- head office's other commands (their f-strings are said by pattern, sync.hq.i18n.said)
    # dispatch files, orders to dispatch (sync.hq.dispatch_file, sync.hq.checks)
    "Order {n}: {problem}": "第 {n} 张工单:{problem}",
    "type {value} is not one of {choices}.": "类型 {value} 不在 {choices} 之中。",
    "mode {value} is not one of {choices}.": "服务方式 {value} 不在 {choices} 之中。",
    "a repair order needs a fault description.": "维修单需要故障描述。",
    "a serial number needs the product model too.": "有机身编号时也需要产品型号。",
    "purchase date {value} is not YYYY-MM-DD.": "购买日期 {value} 不是 YYYY-MM-DD 格式。",
    "warranty months must be between 0 and 120.": "保修月数必须在 0 到 120 之间。",
    "{problem}": "{problem}",
    "File {path} was not found.": "找不到文件 {path}。",
    "File {path} is larger than {limit} bytes.": "文件 {path} 超过 {limit} 字节。",
    "File {path} holds no orders.": "文件 {path} 中没有工单。",
    "File {path} holds {n} orders; at most {limit} at once.":
        "文件 {path} 有 {n} 张工单;一次最多 {limit} 张。",
    'The JSON file must hold a list of orders (objects), or {"orders": [...]}.':
        'JSON 文件必须是工单(对象)的列表,或 {"orders": [...]}。',
    "Unknown column(s) in {where}: {unknown}. Known: {known}.":
        "{where}中有未知的列:{unknown}。可用的列:{known}。",
    "the CSV header": "CSV 表头",
    "order {n}": "第 {n} 张工单",
    "The CSV header lacks: {missing}.": "CSV 表头缺少:{missing}。",
    "File {path} is not UTF-8 text; save it as UTF-8 (CSV UTF-8 in Excel).":
        "文件 {path} 不是 UTF-8 文本;请另存为 UTF-8(Excel 中选“CSV UTF-8”)。",
    "File {path} must end in .csv or .json.": "文件 {path} 的扩展名必须是 .csv 或 .json。",
    "Row {n}: more cells than header columns.": "第 {n} 行:单元格比表头的列多。",
    "The JSON file is not valid JSON: {reason}": "JSON 文件格式不正确:{reason}",
    "Order {n}: {key} must be text.": "第 {n} 张工单:{key} 必须是文本。",
    "Order {n}: {key} is required.": "第 {n} 张工单:必须填写 {key}。",
    "Order {n}: warranty_months {value} is not a whole number.":
        "第 {n} 张工单:warranty_months {value} 不是整数。",
    # parts catalogue and warranty policy (sync.hq.catalogue, sync.hq.policy)
    "{rows} part(s) read: {added} new, {changed} changed, {unchanged} unchanged; stations "
    "receive {sent} at their next sync.":
        "读取 {rows} 个配件:新增 {added},修改 {changed},未变 {unchanged};"
        "各维修站下次同步时收到 {sent} 个。",
    "cannot read {path}: {reason}": "无法读取 {path}:{reason}",
    "{path}: {total} problem(s), nothing was published:\n  {lines}":
        "{path}:{total} 处问题,未发布任何内容:\n  {lines}",
    "{path}: {reason}": "{path}:{reason}",
    "policy '{label}' published as revision {seq}; stations receive it at their next sync.":
        "政策“{label}”已发布为第 {seq} 版;各维修站下次同步时收到。",
    "policy '{label}' is already in force; nothing was published.":
        "政策“{label}”已在执行中;未发布任何内容。",
    # old parts (sync.hq.old_parts)
    "--result must be one of: {choices}.": "--result 必须是以下之一:{choices}。",
    "The note is at most {limit} characters.": "备注最多 {limit} 个字符。",
    "Old part {tag} has not been packed for return by its station (it is {status} there).":
        "旧件 {tag} 尚未被其维修站装箱返回(该站状态为 {status})。",
    "No old part {tag} is known to head office; has its station synced since collecting it?":
        "总部没有旧件 {tag};其维修站回收后是否已同步?",
    "No return shipment {number} is known to head office; has the station synced since "
    "packing it?": "总部没有返件批次 {number};该站装箱后是否已同步?",
    "Shipment {number} holds no old part that is still to be received.":
        "返件批次 {number} 中没有尚待签收的旧件。",
    "Old part {tag} of station {station}: {result}; the station learns it at its next sync.":
        "维修站 {station} 的旧件 {tag}:{result};该站下次同步时得知。",
    "{n} old part(s) of {number} received; the station learns it at its next sync.":
        "已签收 {number} 中的 {n} 个旧件;该站下次同步时得知。",
    "{n} old part(s).": "共 {n} 个旧件。",
    "collected": "已回收",
    "packed": "已装箱",
    "received": "总部已签收",
    "inspected": "总部已鉴定",
    "ok": "鉴定合格",
    "defect_confirmed": "确认故障",
    "no_fault_found": "未见故障",
    "not_received": "未收到",
    # parts orders (sync.hq.parts_orders)
    "The note is longer than {limit} characters.": "备注超过 {limit} 个字符。",
    "Parts order {number} was already confirmed by head office ({status}).":
        "零件订单 {number} 已由总部确认过({status})。",
    "Parts order {number} is {status} at the station; only a submitted order can be "
    "confirmed.": "零件订单 {number} 在维修站的状态是 {status};只有已提交的订单才能确认。",
    "Nothing of parts order {number} would be confirmed; confirm at least one part (the "
    "station cancels an order it no longer needs).":
        "零件订单 {number} 没有任何零件被确认;请至少确认一个零件(不需要的订单由维修站取消)。",
    "Parts order {number} was cancelled by the station; nothing can be shipped.":
        "零件订单 {number} 已被维修站取消;无法发运。",
    "Parts order {number} is not confirmed yet; confirm it first.":
        "零件订单 {number} 尚未确认;请先确认。",
    "Nothing left to ship on parts order {number}.": "零件订单 {number} 已无可发运的零件。",
    "Nothing to ship on parts order {number}: every quantity given is 0.":
        "零件订单 {number} 没有要发运的:给出的数量都是 0。",
    "Name the parts order (PO-... number).": "请给出零件订单(PO-... 编号)。",
    "No parts order {ref} is known to head office (has the station submitted it and synced "
    "since?).": "总部没有零件订单 {ref}(该站提交后是否已同步?)。",
    "Part {parts} is not on parts order {number}; its parts are {known}.":
        "零件 {parts} 不在零件订单 {number} 上;该订单的零件是 {known}。",
    "--line {item}: give PART_NO=QTY, QTY a whole number from 0 to {limit}.":
        "--line {item}:请写成 零件号=数量,数量为 0 到 {limit} 的整数。",
    "--line names part {part} twice.": "--line 两次给出了零件 {part}。",
    "Cannot confirm {confirmed} of {part}: the station ordered {quantity}.":
        "无法确认 {part} 的 {confirmed} 个:维修站订购的是 {quantity} 个。",
    "Cannot ship {quantity} of {part}: {confirmed} confirmed, {shipped} shipped already.":
        "无法发运 {part} 的 {quantity} 个:已确认 {confirmed} 个,已发运 {shipped} 个。",
    "submitted": "已提交",
    "cancelled": "已取消",
    # warranty claims (sync.hq.claims)
    "Line {ref} is not on claim batch {number}.": "明细 {ref} 不在索赔批次 {number} 上。",
    "Line {ref} is not on claim batch {number} (it belongs to another claim batch).":
        "明细 {ref} 不在索赔批次 {number} 上(它属于另一个索赔批次)。",
    "Line {ref} is not on claim batch {number} (it belongs to another claim batch or station).":
        "明细 {ref} 不在索赔批次 {number} 上(它属于另一个索赔批次或维修站)。",
    # {text} is the operator's input as repr() shows it: quoted
    "{what} '{text}' is not an amount in yuan (e.g. 120.50).":
        "{what} '{text}' 不是以元为单位的金额(如 120.50)。",
    "{what} cannot be negative ({text}).": "{what}不能为负数({text})。",
    "{what} '{text}' has more than two decimals (fen).": "{what} '{text}' 的小数超过两位(分)。",
    "{what} '{text}' is too large.": "{what} '{text}' 太大。",
    "The adjusted amount": "调整后的金额",
    "The deduction": "扣款",
    "Decide at least one line (--line LINE=ANSWER or --approve-rest).":
        "请至少审核一行(--line 行=结果 或 --approve-rest)。",
    "The deduction cannot be negative.": "扣款不能为负数。",
    "Give the reason for the deduction (--reason).": "请给出扣款原因(--reason)。",
    "The reason is longer than {limit} characters.": "原因超过 {limit} 个字符。",
    "Statement number {number} must be at most {limit} letters, digits, '.', '/' or '-'.":
        "结算单号 {number} 最多 {limit} 个字母、数字、'.'、'/' 或 '-'。",
    "Claim batch {number} is {status} at the station; only a submitted batch is decided or "
    "settled.": "索赔批次 {number} 在维修站的状态是 {status};只有已提交的批次才能审核或结算。",
    "unknown": "未知",
    "Name the claim batch (its number).": "请给出索赔批次(批次号)。",
    "No claim batch {ref} is known to head office (has the station submitted it and synced "
    "since?).": "总部没有索赔批次 {ref}(该站提交后是否已同步?)。",
    "Line {ref}: the reason is longer than {limit} characters.": "明细 {ref}:原因超过 {limit} 个字符。",
    "Line {ref}: the reason holds a NUL character.": "明细 {ref}:原因中含有 NUL 字符。",
    "Line {ref}: an {decision} line needs a reason.": "明细 {ref}:{decision}的明细需要原因。",
    "Line {ref}: unknown decision {decision}.": "明细 {ref}:未知的审核结果 {decision}。",
    "Line {ref}: the adjusted amount cannot be negative.": "明细 {ref}:调整后的金额不能为负数。",
    "Line {ref}: the adjusted amount {amount} is more than the {claimed} claimed.":
        "明细 {ref}:调整后的金额 {amount} 超过索赔的 {claimed}。",
    "--line {item}: give LINE=approve, LINE=adjust:YUAN:REASON or LINE=reject:REASON (LINE: "
    "its position or id).":
        "--line {item}:请写成 行=approve、行=adjust:金额:原因 或 行=reject:原因(行:序号或 id)。",
    "--line names line {ref} twice.": "--line 两次给出了第 {ref} 行。",
    "Claim batch {number} is settled (statement {statement}); its decisions can no longer "
    "change.": "索赔批次 {number} 已结算(结算单 {statement});审核结果不能再改。",
    "Claim batch {number} has no lines to decide.": "索赔批次 {number} 没有可审核的明细。",
    "--line names the same line twice (by position and by id).":
        "--line 两次给出了同一行(一次按序号,一次按 id)。",
    "Every line of claim batch {number} is decided already; name the lines to change with "
    "--line.": "索赔批次 {number} 的每一行都已审核;要修改请用 --line 指明行。",
    "Claim batch {number} is already settled (statement {statement}).":
        "索赔批次 {number} 已结算(结算单 {statement})。",
    "Claim batch {number} cannot be settled: line(s) {lines} are not decided yet.":
        "索赔批次 {number} 不能结算:第 {lines} 行尚未审核。",
    "(none)": "(无)",
    "Cannot deduct {deduct}: only {approved} is approved, and the payable amount is never "
    "negative.": "不能扣款 {deduct}:批准金额只有 {approved},应付金额不能为负数。",
    "{n} claim batch(es).": "共 {n} 个索赔批次。",
    "Claim batch {number} has lines 1 to {last}; there is no line {position}.":
        "索赔批次 {number} 的明细是第 1 到 {last} 行;没有第 {position} 行。",
    "--line {item}: approve takes no amount or reason.": "--line {item}:approve 不带金额或原因。",
    "Statement number {number} is already used.": "结算单号 {number} 已被使用。",
    "Claim batch {number}: {decided} of {lines} line(s) decided; the station learns it at its "
    "next sync.": "索赔批次 {number}:{lines} 行中已审核 {decided} 行;维修站下次同步时得知。",
    "Claim batch {number} settled, statement {statement}: claimed {claimed}, approved "
    "{approved}, deducted {deducted}, payable {payable} yuan; the station learns it at its "
    "next sync.":
        "索赔批次 {number} 已结算,结算单 {statement}:索赔 {claimed},批准 {approved},"
        "扣款 {deducted},应付 {payable} 元;维修站下次同步时得知。",
    "--line {item}: adjust needs the new amount: LINE=adjust:YUAN:REASON.":
        "--line {item}:adjust 需要新金额:行=adjust:金额:原因。",
    "--line {item}: an adjusted line needs a reason: LINE=adjust:YUAN:REASON.":
        "--line {item}:调整的明细需要原因:行=adjust:金额:原因。",
    "--line {item}: the answer is approve, adjust:YUAN:REASON or reject:REASON.":
        "--line {item}:结果应为 approve、adjust:金额:原因 或 reject:原因。",
    "--line {item}: a rejected line needs a reason: LINE=reject:REASON.":
        "--line {item}:驳回的明细需要原因:行=reject:原因。",
    "approved so far": "已批准(至今)",
    "approved": "已批准",
    "adjusted": "已调整",
    "rejected": "已驳回",
    "pending": "待审核",
    "deciding": "审核中",
    "decided": "已审核",
    "settled": "已结算",
    "paid": "已付款",
    "draft": "草稿",
    "claimed": "索赔",
    "deducted": "扣款",
    "payable": "应付",
    "statement": "结算单",
    "line": "明细",
    "reason:": "原因:",
    "override": "例外",
    "old-part tag": "旧件标签",
    "labour": "工时",
    "parts": "配件",
    "travel": "差旅",
    "ORDER": "工单",
    "KIND": "类别",
    "CLAIMED": "索赔金额",
    "DECISION": "审核",
    "APPROVED": "批准金额",
    "DESCRIPTION / REASON / FLAGS": "说明 / 原因 / 标记",
    # feedback cards (sync.hq.feedback)
    "STATION": "维修站",
    "CARD": "反馈单",
    "SUBMITTED (UTC)": "提交时间(UTC)",
    "MODEL": "型号",
    "CAUSE": "原因类别",
    "PHOTOS": "照片",
    "FAULT": "故障现象",
    "{n} feedback card(s).": "共 {n} 张反馈单。",
    # customer notifications (sync.hq.notify)
    "send the customer messages": "发送客户通知",
    "send the messages that are due, retrying failed ones": "发送到期的通知,失败的稍后重试",
    "one run, then stop": "只运行一次",
    "seconds between runs": "两次运行之间的秒数",
    "SMTP server for e-mail": "发送邮件的 SMTP 服务器",
    "SMTP port (25)": "SMTP 端口(25)",
    "SMTP login name": "SMTP 登录名",
    "environment variable holding the SMTP password": "存放 SMTP 密码的环境变量",
    "the sender address (From)": "发件人地址(From)",
    "STARTTLS before login": "登录前使用 STARTTLS",
    "folder for one file per message (pilots)": "每条通知写成一个文件的文件夹(试点用)",
    "failed sends before a message is marked failed": "发送失败多少次后标记为失败",
    "seconds before the first retry (doubled each time)": "首次重试前等待的秒数(每次加倍)",
    "send the customer messages every so many seconds (0: not here)":
        "每隔多少秒发送客户通知(0:本进程不发送)",
    "{delivered} delivered, {retrying} to retry, {failed} failed.":
        "已送达 {delivered} 条,待重试 {retrying} 条,失败 {failed} 条。",
    "no sender is set up: give --smtp-host or --notify-dir":
        "未设置发送方式:请给出 --smtp-host 或 --notify-dir",
    "--max-attempts must be 1..50 and --backoff 0..86400 seconds":
        "--max-attempts 须为 1..50,--backoff 须为 0..86400 秒",
}
