"""Plain rules of a repair station: enums, order state machine, SLA clocks, warranty, numbers.

Nothing here imports Qt, SQLAlchemy or does I/O.
"""
