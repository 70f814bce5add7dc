"""The closed vocabularies of the trade, with their stored codes."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    CLERK = "clerk"  # 信息员
    TECHNICIAN = "technician"  # 维修工程师
    MANAGER = "manager"  # 站长


class OrderType(StrEnum):
    REPAIR = "repair"  # 报修
    INSTALL = "install"  # 报装
    MAINTENANCE = "maintenance"  # 保养
    COMPLAINT = "complaint"  # 投诉
    ENQUIRY = "enquiry"  # 咨询


class OrderSource(StrEnum):
    HEAD_OFFICE = "head_office"  # 总部派单
    PHONE = "phone"  # 来电
    WALK_IN = "walk_in"  # 到店


class ServiceMode(StrEnum):
    ON_SITE = "on_site"  # 现场维护
    WORKSHOP = "workshop"  # 返厂维修
    REPLACEMENT = "replacement"  # 换货


class OrderStatus(StrEnum):
    RECEIVED = "received"  # 已受理
    ACCEPTED = "accepted"  # 已接单
    ASSIGNED = "assigned"  # 已派工
    ON_SITE = "on_site"  # 上门服务中
    IN_WORKSHOP = "in_workshop"  # 返厂维修中
    WAITING_PARTS = "waiting_parts"  # 待件
    COMPLETED = "completed"  # 已完工
    VISITED = "visited"  # 已回访
    CLOSED = "closed"  # 已结单
    CANCELLED = "cancelled"  # 已取消

    @property
    def open(self) -> bool:
        return self not in (OrderStatus.CLOSED, OrderStatus.CANCELLED)




class ChargeKind(StrEnum):
    PARTS = "parts"  # 配件
    LABOUR = "labour"  # 工时
    TRAVEL = "travel"  # 交通/上门
    OTHER = "other"  # 其他


class WarrantyStatus(StrEnum):
    IN_WARRANTY = "in_warranty"  # 保内
    OUT_OF_WARRANTY = "out_of_warranty"  # 保外
    UNKNOWN = "unknown"  # 无购机信息


class Payer(StrEnum):
    """Who pays a charge line: decided by the warranty policy, never typed."""

    MAKER = "maker"  # 厂家 (三包, claimed from head office)
    CUSTOMER = "customer"  # 客户
