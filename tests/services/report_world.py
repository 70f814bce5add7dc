"""What the report tests' small stations share: the station's zone and a customer with two
technicians (王工 ``t1``, 李工 ``t2``) to hang hand-made orders on."""

from __future__ import annotations

from datetime import timedelta, timezone

from sqlalchemy.orm import Session

from app.store.models import Customer, User

SHANGHAI = timezone(timedelta(hours=8))


def customer_and_technicians(s: Session) -> Customer:
    """张三 and the technicians 王工 (t1) and 李工 (t2), flushed."""
    customer = Customer(name="张三")
    s.add_all([customer,
               User(id="t1", username="wang", display_name="王工", role="technician",
                    password_hash="x"),
               User(id="t2", username="li", display_name="李工", role="technician",
                    password_hash="x")])
    s.flush()
    return customer
