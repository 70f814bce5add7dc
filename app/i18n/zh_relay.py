"""Simplified Chinese for another device's changes applied at this device: photos kept on the
device that took them, stock shortages between devices and clashes between devices' edits
(issue 15)."""

from __future__ import annotations

TEXT_ZH: dict[str, str] = {
    # app.services.relay_photos
    "The photo is on another computer of the station (the one that took it); only its "
    "details are on this one.":
        "照片在另一台电脑上（拍照的那台电脑），本机只有照片的信息。",
    # app.services.relay_apply: two devices offline each added a user of one name
    "User name '{name}' is taken on this device.": "用户名“{name}”在本机已被使用。",
    "Another device's user '{name}' is kept here as '{renamed}': rename one of them.":
        "另一台电脑的用户“{name}”在本机保存为“{renamed}”：请将其中一个改名。",
    # app.services.relay_apply: two devices offline each booked a visit for one order
    "This order already has a booked visit on this device.": "本机已为该工单预约上门。",
    "Another device booked a visit for the same order while offline: both are kept; cancel "
    "the one the customer was not promised.":
        "另一台电脑离线时也为该工单预约了上门：两个预约都已保留，请取消未向客户承诺的那个。",
    # app.services.stock_shortage
    "Count the stock or receive parts first, so that the stock is not negative.":
        "先盘点或入库，使库存不为负。",
    "This conflict is not a stock shortage.": "这条冲突不是缺货冲突。",
    "{part}: on hand {have}": "{part}：库存 {have}",
    "{movements} (the latest from device {device})": "{movements}（最后一笔来自设备 {device}）",
    "this device": "本机",
    "another device": "另一台电脑",
    # app.services.device_clash
    "Choose this device's version or the station's.": "请选择本机的版本或站里现有的版本。",
    "This conflict is not a clash between devices.": "这条冲突不是设备之间的修改冲突。",
    "This device no longer holds its version of the change: keep the station's.":
        "本机已没有这次修改的版本，请保留站里现有的版本。",
}
