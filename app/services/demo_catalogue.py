"""What the demo station stocks: a catalogue of parts that fit the demo's products (no
refrigerant on a washing machine), with the demo's own use of each part (how often a repair
needs it, the fault it cures, the opening stock), the repairs that need no part, and the
catalogue written as head office's CSV for the offline import."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path

from app.domain.parts import part_id
from app.domain.validation import format_fen

AC = "KFR-35GW/BP3DN1Y"  # 挂机 1.5 匹
AC_CAB = "KFR-72LW/NhZbB1"  # 柜机 3 匹
FRIDGE = "BCD-470WDPG"
WASHER = "XQG100-14B"
HEATER = "EC6002-H"
STOVE = "JZT-Q216B"
HOOD = "CXW-260-E900C15"
#: models of the same series the catalogue also names (the demo's customers own the first)
AC_SMALL = ("KFR-26GW/BP3DN1Y", "KFR-32GW/BP3DN1Y")
AC_BIG = ("KFR-51LW/NhZbB1",)
WASHERS = ("XQG90-14BD", "XQG80-14B")
FRIDGES = ("BCD-452WDPF",)
HEATERS = ("EC6001-H", "EC8002-H")

#: what a part is used for: a repair, an installation, a maintenance visit
REPAIR, INSTALL, CARE = "repair", "install", "care"


@dataclass(frozen=True)
class DemoPart:
    """One catalogue row with what the demo does with it."""

    part_no: str
    name: str
    specification: str
    models: tuple[str, ...]
    unit: str
    retail_fen: int
    station_fen: int
    location: str
    threshold: int
    #: units the opening order asks for, per 1,000 demo orders (never under threshold + 2)
    stock: int
    #: what the technician found when this part is the cure
    fault: str = ""
    #: how often a repair of a fitting product needs it (relative)
    use: float = 1.0
    #: how often the counter sells it (relative; 0: not a counter item)
    counter: float = 0.0
    return_required: bool = False
    warranty_months: int | None = None
    per_job: tuple[int, ...] = (1,)
    purpose: str = REPAIR

    @property
    def id(self) -> str:
        return part_id(self.part_no)


def _y(yuan: float) -> int:
    return round(yuan * 100)


def _part(part_no: str, name: str, spec: str, models: tuple[str, ...], unit: str,
          retail: float, station: float, location: str, threshold: int, stock: int,
          fault: str = "", **kw: object) -> DemoPart:
    return DemoPart(part_no, name, spec, models, unit, _y(retail), _y(station), location,
                    threshold, stock, fault, **kw)  # type: ignore[arg-type]


_ACS = (AC, *AC_SMALL)
_CABS = (AC_CAB, *AC_BIG)
_R32 = (AC, AC_CAB, *AC_SMALL, *AC_BIG)
_WM = (WASHER, *WASHERS)
_FR = (FRIDGE, *FRIDGES)
_WH = (HEATER, *HEATERS)
_ST = (STOVE, "JZT-Q218B")
_HD = (HOOD, "CXW-220-E900C13")

CATALOGUE: tuple[DemoPart, ...] = (
    # -- 空调 (shelves A) --------------------------------------------------------------------
    _part("KT-3301-0035", "压缩机启动电容", "CBB65 35μF 450VAC", _ACS, "个", 45, 22,
          "A-01-01", 5, 24, "压缩机启动电容容量衰减，外机不启动", use=9),
    _part("KT-3301-0050", "压缩机启动电容", "CBB65 50μF 450VAC", _CABS, "个", 58, 28,
          "A-01-02", 3, 12, "压缩机启动电容鼓包漏液", use=6),
    _part("KT-3301-0025", "风机电容", "CBB61 2.5μF 450VAC", _R32, "个", 25, 10,
          "A-01-03", 5, 18, "外风机电容失效，风机转速低", use=5),
    _part("KT-0010-1035", "压缩机", "旋转式 R32 1.5匹 变频 KTM240D57UMT", _ACS, "台", 1680,
          1180, "A-05-01", 1, 4, "压缩机卡缸，电流过大保护", use=1.2, return_required=True,
          warranty_months=60),
    _part("KT-0010-1072", "压缩机", "涡旋式 R32 3匹 变频 KTN420D61UFZ", _CABS, "台", 2880,
          2150, "A-05-02", 1, 3, "压缩机绕组对地短路", use=1.0, return_required=True,
          warranty_months=60),
    _part("KT-1501-3501", "室外风机电机", "YDK-38-6 38W 直流无刷", _ACS, "台", 320, 210,
          "A-04-01", 2, 6, "外风机电机轴承磨损，运转异响", use=2),
    _part("KT-1501-7201", "室外风机电机", "YDK-80-6 80W 直流无刷", _CABS, "台", 460, 300,
          "A-04-02", 1, 4, "外风机电机不转", use=1.5),
    _part("KT-1502-3501", "室内风机电机", "RPG20A 20W 直流 PG 电机", _ACS, "台", 260, 170,
          "A-04-03", 2, 5, "内风机电机霍尔元件损坏，无风", use=1.5),
    _part("KT-4301-0035", "四通阀", "DSF-4 1.5匹 含线圈", _ACS, "个", 180, 110, "A-03-01", 2,
          4, "四通阀串气，制热效果差", use=1.2),
    _part("KT-4301-0072", "四通阀", "DSF-9 3匹 含线圈", _CABS, "个", 260, 160, "A-03-02", 1,
          3, "四通阀换向不良，不能制热", use=1),
    _part("KT-4302-0035", "电子膨胀阀", "DPF(TS1)1.3C-07 含线圈", _ACS, "个", 220, 140,
          "A-03-03", 2, 5, "电子膨胀阀卡死，蒸发器结霜", use=1.5),
    _part("KT-4302-0072", "电子膨胀阀", "DPF(TS1)1.8C-01 含线圈", _CABS, "个", 280, 180,
          "A-03-04", 1, 3, "电子膨胀阀线圈开路", use=1),
    _part("KT-7001-0032", "R32 冷媒", "R32 制冷剂 9.5kg 钢瓶分装 按千克计", _R32, "千克", 120,
          60, "A-06-01", 5, 30, "焊点漏氟，冷媒不足", use=8, per_job=(1, 1, 2)),
    _part("KT-7001-0410", "R410A 冷媒", "R410A 制冷剂 11.3kg 钢瓶分装 按千克计",
          ("KFR-35GW/DY-IE", "KFR-50LW/DY-IE"), "千克", 110, 55, "A-06-02", 0, 5),
    _part("KT-3002-3501", "遥控器", "ZH/JT-03 挂机原装遥控器", _ACS, "个", 68, 35, "A-02-01",
          3, 12, "遥控器发射管损坏", use=3, counter=6),
    _part("KT-3002-7201", "遥控器", "ZH/TY-01 柜机原装遥控器", _CABS, "个", 78, 40, "A-02-02",
          2, 6, "遥控器按键失灵", use=1.5, counter=3),
    _part("KT-3001-3501", "室内机主板", "KFR-35GW/BP3DN1Y 内机电控板", _ACS, "块", 480, 320,
          "A-07-01", 2, 5, "内机主板继电器烧蚀，不开机", use=2.5, return_required=True),
    _part("KT-3001-7201", "室内机主板", "KFR-72LW/NhZbB1 内机电控板", _CABS, "块", 560, 380,
          "A-07-02", 1, 4, "内机主板通讯电路损坏，报E1", use=2, return_required=True),
    _part("KT-3003-3501", "室外机主板", "1.5匹 变频驱动板 含 IPM 模块", _ACS, "块", 780, 540,
          "A-07-03", 1, 4, "外机变频模块击穿", use=1.5, return_required=True),
    _part("KT-3003-7201", "室外机主板", "3匹 变频驱动板 含 IPM 模块", _CABS, "块", 980, 690,
          "A-07-04", 1, 3, "外机主板电源电路损坏", use=1.2, return_required=True),
    _part("KT-3004-3501", "显示接收板", "内机显示板 含接收头", _ACS, "块", 95, 55, "A-02-03",
          2, 6, "显示接收板受潮，遥控无反应", use=2),
    _part("KT-3005-0010", "室内温度传感器", "环境 + 管温 10K 双头", _R32, "套", 45, 20,
          "A-02-04", 4, 12, "管温传感器阻值漂移，报故障码", use=3),
    _part("KT-3005-0050", "室外温度传感器", "排气 50K + 盘管 10K 三头", _R32, "套", 55, 25,
          "A-02-05", 3, 8, "排气温度传感器开路", use=2),
    _part("KT-2001-0016", "排水管", "内径16mm 加长 2米", _R32, "根", 20, 8, "A-08-01", 5, 20,
          "排水管老化破裂漏水", use=2, counter=2, purpose=INSTALL),
    _part("KT-2002-3501", "过滤网", "内机空气过滤网 左右各一", _ACS, "套", 35, 15, "A-08-02",
          3, 10, "过滤网破损", use=1, counter=3, purpose=CARE),
    _part("KT-2003-0638", "连接铜管", "1/4+3/8 英寸 带保温 按米计", _ACS, "米", 65, 35,
          "A-08-03", 10, 40, "连接管砸扁，冷媒不循环", use=1, per_job=(2, 3, 3, 4),
          purpose=INSTALL),
    _part("KT-2003-0658", "连接铜管", "1/4+5/8 英寸 带保温 按米计", _CABS, "米", 85, 45,
          "A-08-04", 6, 24, "连接管喇叭口开裂", use=1, per_job=(2, 3, 4), purpose=INSTALL),
    _part("KT-2004-3501", "贯流风叶", "内机贯流风轮 长650mm", _ACS, "个", 85, 50, "A-04-04",
          1, 3, "贯流风叶断裂，内机异响", use=1),
    _part("KT-2005-0001", "导风板电机", "24BYJ48 步进电机 12V", _R32, "个", 35, 15, "A-02-06",
          3, 8, "导风板电机不转，导风板不摆动", use=2),
    _part("KT-2006-3501", "外机支架", "镀锌角铁 1.5匹用 含膨胀螺栓", _ACS, "套", 120, 70,
          "A-09-01", 2, 8, "外机支架锈蚀松动", use=0.5, purpose=INSTALL),
    _part("KT-2006-7201", "外机支架", "镀锌角铁 3匹用 含膨胀螺栓", _CABS, "套", 160, 90,
          "A-09-02", 1, 4, "外机支架锈蚀", use=0.4, purpose=INSTALL),
    # -- 洗衣机 (shelves B) ------------------------------------------------------------------
    _part("XY-1201-1270", "皮带", "1270 J5 多楔带", _WM, "条", 45, 20, "B-01-01", 3, 10,
          "皮带磨损打滑，不脱水", use=3, counter=1),
    _part("XY-1202-0030", "排水泵", "PSB-2 30W 220V", _WM, "个", 85, 45, "B-01-02", 3, 10,
          "排水泵叶轮卡死，不排水", use=4),
    _part("XY-1203-0100", "门封圈", "滚筒 10kg 原装门封", _WM, "个", 150, 90, "B-01-03", 3, 6,
          "门封圈破损漏水", use=2.5),
    _part("XY-1204-0180", "进水阀", "双头 220V FPS-180A", _WM, "个", 65, 35, "B-01-04", 3, 10,
          "进水阀线圈开路，进水慢", use=4),
    _part("XY-1205-0100", "电脑板", "主控板 XQG100-14B", _WM, "块", 420, 280, "B-02-01", 1, 4,
          "电脑板驱动电路损坏，报E21", use=2.5, return_required=True),
    _part("XY-1206-0003", "门锁", "电子门锁 三插头", _WM, "个", 75, 40, "B-02-02", 3, 8,
          "门锁开关损坏，门锁打不开", use=3),
    _part("XY-1207-0100", "减震器", "滚筒减震器 100N 一对", _WM, "对", 95, 55, "B-02-03", 2, 6,
          "减震器失效，脱水异响", use=2),
    _part("XY-1208-0100", "变频电机", "直驱变频电机 BLDC", _WM, "台", 680, 460, "B-03-01", 1, 2,
          "电机霍尔损坏，滚筒不转", use=1, return_required=True),
    _part("XY-1209-6205", "轴承套装", "6205 + 6206 含油封", _WM, "套", 120, 60, "B-03-02", 2,
          5, "滚筒轴承磨损异响", use=2),
    _part("XY-1210-0001", "水位传感器", "压力式水位开关", _WM, "个", 48, 22, "B-02-04", 3, 8,
          "水位传感器失灵，进水不停", use=2),
    _part("XY-1211-0150", "进水管", "不锈钢编织进水管 1.5米", _WM, "根", 30, 12, "B-04-01", 4,
          12, "进水管接头破裂", use=1, counter=3, purpose=INSTALL),
    _part("XY-1212-0150", "排水管", "加长排水管 1.5米", _WM, "根", 25, 10, "B-04-02", 4, 12,
          "排水管破裂", use=1, counter=2, purpose=INSTALL),
    _part("XY-1213-1950", "加热管", "滚筒加热管 1950W", _WM, "根", 110, 60, "B-03-03", 2, 4,
          "加热管开路，不加热", use=1),
    _part("XY-1214-0100", "显示板", "操作显示板 XQG100-14B", _WM, "块", 220, 140, "B-02-05",
          1, 3, "显示板按键失灵", use=1),
    # -- 冰箱 (shelves C) --------------------------------------------------------------------
    _part("BX-0101-0025", "温控器", "WDF25K 机械温控器", _FR, "个", 65, 30, "C-01-01", 3, 10,
          "温控器触点粘连，压缩机不停机", use=4),
    _part("BX-0102-0180", "化霜加热器", "钢管化霜加热器 220V 180W", _FR, "根", 95, 50,
          "C-01-02", 2, 6, "化霜加热器开路，冷冻室结冰", use=3),
    _part("BX-0103-0470", "门封条", "冷藏室磁性门封条 原装", _FR, "条", 120, 65, "C-02-01", 2,
          6, "门封条老化变形，漏冷", use=2.5, counter=1),
    _part("BX-0103-0471", "门封条", "冷冻室磁性门封条 原装", _FR, "条", 110, 60, "C-02-02", 2,
          5, "冷冻室门封条开裂", use=1.5),
    _part("BX-0104-1113", "压缩机", "R600a 变频 VTX1113Y", _FR, "台", 980, 680, "C-05-01", 1,
          3, "压缩机不启动，启动器正常", use=1.2, return_required=True, warranty_months=120),
    _part("BX-0105-0470", "主控板", "电脑板 BCD-470WDPG", _FR, "块", 380, 250, "C-03-01", 1, 4,
          "主控板变频驱动电路损坏", use=1.5, return_required=True),
    _part("BX-0106-0001", "化霜温控器", "双金属片化霜保护器", _FR, "个", 35, 15, "C-01-03", 3,
          8, "化霜温控器失效，化霜不彻底", use=2),
    _part("BX-0107-0012", "冷冻风扇电机", "冷冻室风扇电机 DC12V", _FR, "个", 85, 45,
          "C-03-02", 2, 5, "冷冻风扇电机卡死，冷藏室不凉", use=2),
    _part("BX-0108-0012", "冷凝风机", "压缩机仓散热风机 DC12V", _FR, "个", 95, 50, "C-03-03",
          1, 4, "冷凝风机不转，压缩机过热", use=1),
    _part("BX-0109-0005", "温度传感器", "冷藏室传感器 NTC 5K", _FR, "个", 28, 12, "C-01-04", 3,
          8, "冷藏传感器阻值漂移", use=2),
    _part("BX-0110-0001", "门铰链", "上门铰链 含轴套", _FR, "套", 45, 20, "C-04-01", 2, 5,
          "门铰链磨损，门体下沉", use=1, counter=1),
    _part("BX-0111-0470", "冷冻室抽屉", "冷冻室上层抽屉 BCD-470", _FR, "个", 120, 70,
          "C-04-02", 1, 3, "抽屉破裂", use=0.5, counter=1.5),
    _part("BX-0112-0001", "干燥过滤器", "铜质干燥过滤器 单进口", _FR, "个", 25, 10, "C-01-05",
          3, 10, "系统脏堵，更换干燥过滤器", use=1.5),
    _part("BX-0113-0600", "R600a 冷媒", "R600a 制冷剂 420g 瓶装", _FR, "瓶", 65, 35, "C-05-02",
          2, 6, "系统泄漏，补焊后加注冷媒", use=1),
    # -- 电热水器 (shelves D) ----------------------------------------------------------------
    _part("RSQ-0201-2000", "加热管", "2000W 铜镀锌 法兰式", _WH, "根", 160, 90, "D-01-01", 2, 6,
          "加热管结垢烧断，不加热", use=4),
    _part("RSQ-0202-0075", "温控器", "KSD301 突跳式 75℃", _WH, "个", 45, 20, "D-01-02", 3, 8,
          "温控器失灵，水温不稳", use=3),
    _part("RSQ-0203-0300", "镁棒", "直径22mm 长300mm", _WH, "根", 45, 18, "D-02-01", 5, 16,
          "镁棒耗尽，内胆结垢", use=2, counter=4, purpose=CARE),
    _part("RSQ-0204-0016", "漏电保护插头", "16A 30mA 防漏电插头", _WH, "个", 75, 38,
          "D-02-02", 3, 8, "漏电保护插头损坏，跳闸", use=3, counter=2),
    _part("RSQ-0205-6002", "电脑板", "主控板 EC6002-H", _WH, "块", 260, 170, "D-01-03", 1, 4,
          "电脑板继电器损坏", use=2, return_required=True),
    _part("RSQ-0206-0075", "安全阀", "泄压安全阀 0.75MPa", _WH, "个", 35, 15, "D-02-03", 3, 8,
          "安全阀滴水", use=2, counter=1.5),
    _part("RSQ-0207-0010", "温度传感器", "NTC 10K 防水探头", _WH, "个", 30, 12, "D-01-04", 3, 8,
          "温度传感器开路，显示故障", use=2),
    _part("RSQ-0208-0001", "混水阀", "明装 U 型混水阀", _WH, "个", 150, 85, "D-02-04", 2, 4,
          "混水阀阀芯漏水", use=1, counter=1.5, purpose=INSTALL),
    _part("RSQ-0209-0060", "内胆", "60升 搪瓷内胆总成", _WH, "个", 680, 480, "D-03-01", 0, 1,
          "内胆渗漏", use=0.3, return_required=True, warranty_months=96),
    # -- 燃气灶 (shelves E) ------------------------------------------------------------------
    _part("RQZ-0301-0001", "点火针", "陶瓷点火针 含高压线", _ST, "根", 25, 10, "E-01-01", 5, 16,
          "点火针积碳断裂，打不着火", use=4, counter=2),
    _part("RQZ-0302-0450", "热电偶", "熄火保护热电偶 450mm", _ST, "根", 35, 15, "E-01-02", 4,
          12, "热电偶老化，熄火保护失灵", use=4),
    _part("RQZ-0303-0015", "脉冲点火器", "双路 1.5V 脉冲点火器", _ST, "个", 55, 25, "E-01-03",
          3, 8, "脉冲点火器无高压输出", use=3),
    _part("RQZ-0304-0001", "电磁阀", "熄火保护电磁阀", _ST, "个", 45, 20, "E-01-04", 3, 8,
          "电磁阀吸合不良，松手熄火", use=2),
    _part("RQZ-0305-0042", "炉头", "铸铁炉头 4.2kW", _ST, "个", 120, 65, "E-02-01", 1, 3,
          "炉头锈蚀堵塞，火焰发黄", use=1),
    _part("RQZ-0306-0001", "旋钮", "金属拉丝旋钮 一对", _ST, "对", 30, 12, "E-02-02", 3, 8,
          "旋钮开裂", use=1, counter=2.5),
    _part("RQZ-0307-0001", "电池盒", "1号电池盒 含盖", _ST, "个", 15, 6, "E-02-03", 4, 10,
          "电池盒触片锈蚀", use=1.5, counter=2),
    _part("RQZ-0308-0150", "燃气软管", "不锈钢波纹管 1.5米", _ST, "根", 60, 28, "E-02-04", 3, 10,
          "燃气软管老化", use=1, counter=3, purpose=INSTALL),
    _part("RQZ-0309-0001", "火盖", "铜火盖 大号", _ST, "个", 48, 22, "E-02-05", 2, 6,
          "火盖变形，火焰不均", use=1.5),
    # -- 油烟机 (shelves F) ------------------------------------------------------------------
    _part("YYJ-0401-0260", "电机", "260W 涡轮电机 YYHS-240", _HD, "台", 420, 280, "F-01-01", 1,
          3, "电机绕组烧毁，不转", use=1.5, return_required=True),
    _part("YYJ-0402-0005", "电机电容", "CBB61 5μF 450VAC", _HD, "个", 20, 8, "F-01-02", 4, 12,
          "电机电容失效，吸力小", use=4),
    _part("YYJ-0403-0001", "开关板", "触摸按键板", _HD, "块", 150, 90, "F-01-03", 2, 5,
          "按键板受潮，按键失灵", use=2.5),
    _part("YYJ-0404-0001", "电源板", "主控电源板", _HD, "块", 180, 110, "F-01-04", 1, 4,
          "电源板继电器烧蚀", use=1.5, return_required=True),
    _part("YYJ-0405-0001", "油杯", "集油杯", _HD, "个", 15, 5, "F-02-01", 5, 12, "油杯破裂漏油",
          use=0.5, counter=3, purpose=CARE),
    _part("YYJ-0406-0160", "止回阀", "160mm 防火止回阀", _HD, "个", 55, 25, "F-02-02", 2, 6,
          "止回阀卡死，倒烟", use=1.5, purpose=INSTALL),
    _part("YYJ-0407-0160", "烟管", "铝箔烟管 160mm 1.5米", _HD, "根", 45, 20, "F-02-03", 3, 8,
          "烟管破损漏烟", use=1, counter=2, purpose=INSTALL),
    _part("YYJ-0408-0001", "涡轮风叶", "离心风轮", _HD, "个", 95, 55, "F-01-05", 1, 3,
          "风轮变形，噪音大", use=1.5),
    _part("YYJ-0409-0012", "照明灯", "LED 1.5W 12V", _HD, "个", 25, 10, "F-02-04", 3, 8,
          "照明灯不亮", use=1, counter=2),
    _part("YYJ-0410-0001", "滤油网", "不锈钢滤油网", _HD, "片", 45, 20, "F-02-05", 2, 6,
          "滤油网变形", use=0.5, counter=1.5, purpose=CARE),
)

#: repairs that need no catalogue part, per model the demo's customers own
PLAIN_REPAIRS: dict[str, tuple[tuple[str, str], ...]] = {
    AC: (("过滤网脏堵，制冷效果差", "清洗过滤网及蒸发器"), ("外机支架螺栓松动", "紧固外机支架"),
         ("信号线接头松动", "重新压接信号线"), ("遥控器电池电量不足", "更换电池，讲解使用方法"),
         ("排水管弯折，内机漏水", "理顺排水管")),
    AC_CAB: (("过滤网脏堵，出风量小", "清洗过滤网"), ("室外机散热不良", "清洗冷凝器"),
             ("电源线接头松动", "紧固接线端子")),
    FRIDGE: (("温度设置不当", "调整温控设置，讲解使用方法"), ("排水孔堵塞结冰", "疏通排水孔"),
             ("门体下沉关不严", "调整门体")),
    WASHER: (("排水过滤器堵塞", "清理排水过滤器"), ("安装不水平，脱水异响", "调整安装水平"),
             ("进水阀滤网堵塞", "清洗进水阀滤网"), ("运输螺栓未拆", "拆除运输螺栓")),
    HEATER: (("内胆水垢过多", "清洗内胆水垢"), ("接线端子松动", "紧固接线端子")),
    STOVE: (("火孔堵塞", "清理火盖火孔"), ("电池电量不足", "更换电池"),
            ("燃气阀门未开足", "调整燃气阀门")),
    HOOD: (("风轮油污过多", "清洗风轮及滤油网"), ("烟管弯折，排烟不畅", "重新安装烟管")),
}

COLUMNS = ("配件编号", "配件名称", "规格", "适用机型", "单位", "零售价", "网点价", "需返旧件",
           "保修月数")


def write_catalogue(path: Path) -> Path:
    """The catalogue as head office's CSV (Chinese headings, as Excel users type them)."""
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(COLUMNS)
        for part in CATALOGUE:
            out.writerow((part.part_no, part.name, part.specification, "、".join(part.models),
                          part.unit, format_fen(part.retail_fen), format_fen(part.station_fen),
                          "是" if part.return_required else "否",
                          "" if part.warranty_months is None else part.warranty_months))
    return path
