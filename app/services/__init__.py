"""Use cases, one module per area. Each validates, checks the user's permission, writes the
domain rows, the audit entry and the outbox row in ONE transaction, and returns dataclasses.
No Qt here.
"""
