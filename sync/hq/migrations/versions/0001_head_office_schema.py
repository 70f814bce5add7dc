"""Head office's schema as it stood when its tables got migrations (issue 13).

Revision ID: 0001
Revises:
Create Date: 2026-12-01

Exactly the tables ``HqBase.metadata.create_all`` made until then. A head office whose
database that create_all made (no version table yet) is brought here in place: the tables it
lacks are created, one from before conflicts per clash gets its ``clash`` column, and a table
missing a column this revision has is refused, untouched (``HqSchemaUnknown``).
"""

import sqlalchemy as sa
from alembic import op

import app.store.base

revision = '0001'
down_revision = None
branch_labels = None
depends_on = None

#: the tables the database had before this revision ran (a create_all head office's)
_existing: set[str] = set()


def _table(name: str, *elements: object) -> None:
    if name not in _existing:
        op.create_table(name, *elements)


def _index(table: str, name: str, columns: list[str]) -> None:
    if table not in _existing:
        op.create_index(name, table, columns, unique=False)


def _before_migrations(bind: sa.engine.Connection) -> None:
    """A create_all head office: its conflicts get ``clash`` (``sync.hq.migrations``), then every
    table it has must have this revision's columns."""
    from sync.hq.migrations import check_columns, conflicts_per_clash

    conflicts_per_clash(bind)
    check_columns(bind, _COLUMNS)


def upgrade() -> None:
    bind = op.get_bind()
    _existing.clear()
    _existing.update(sa.inspect(bind).get_table_names())
    if "hq_stations" in _existing:
        _before_migrations(bind)
    _table('hq_meta',
        sa.Column('key', sa.String(length=32), nullable=False),
        sa.Column('value', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.PrimaryKeyConstraint('key', name=op.f('pk_hq_meta'))
    )
    _table('hq_parts',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('part_no', sa.String(length=32), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('hq_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_parts')),
        sa.UniqueConstraint('part_no', name=op.f('uq_hq_parts_part_no'))
    )
    _table('hq_stations',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('code', sa.String(length=16), nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('revoked', sa.Boolean(), nullable=False),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.Column('last_push_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('last_pull_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('pulled_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_stations')),
        sa.UniqueConstraint('code', name=op.f('uq_hq_stations_code')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_hq_stations_token_hash'))
    )
    _table('hq_warranty_policies',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('label', sa.String(length=64), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('hq_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_warranty_policies'))
    )
    _index('hq_warranty_policies', 'ix_hq_warranty_policies_hq_seq', ['hq_seq'])

    _table('hq_batches',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('batch_id', sa.String(length=60), nullable=False),
        sa.Column('from_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('to_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('ack_json', sa.Text(), nullable=False),
        sa.Column('received_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_batches_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_batches')),
        sa.UniqueConstraint('station_id', 'batch_id', name=op.f('uq_hq_batches_station_id'))
    )
    _table('hq_changes',
        sa.Column('hq_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=False, nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('entity_id', sa.String(length=64), nullable=False),
        sa.Column('op', sa.String(length=16), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_changes_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('hq_seq', name=op.f('pk_hq_changes'))
    )
    _index('hq_changes', 'ix_hq_changes_created', ['created_at'])
    _index('hq_changes', 'ix_hq_changes_station_seq', ['station_id', 'hq_seq'])

    _table('hq_claim_batches',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('decision_payload', sa.Text(), nullable=False),
        sa.Column('decision_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('statement_no', sa.String(length=40), nullable=True),
        sa.Column('claimed_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('approved_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('deducted_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('payable_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('deduct_reason', sa.String(length=200), nullable=False),
        sa.Column('settled_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('settlement_payload', sa.Text(), nullable=False),
        sa.Column('settlement_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_claim_batches_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_claim_batches')),
        sa.UniqueConstraint('number', name=op.f('uq_hq_claim_batches_number')),
        sa.UniqueConstraint('statement_no', name=op.f('uq_hq_claim_batches_statement_no'))
    )
    _index('hq_claim_batches', 'ix_hq_claim_batches_station_id', ['station_id'])

    _table('hq_conflicts',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('subject_entity', sa.String(length=32), nullable=False),
        sa.Column('subject_id', sa.String(length=36), nullable=False),
        sa.Column('clash', sa.BigInteger(), server_default='0', nullable=False),
        sa.Column('detail', sa.Text(), nullable=False),
        sa.Column('found_by', sa.String(length=8), nullable=False),
        sa.Column('resolved', sa.Boolean(), nullable=False),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_conflicts_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_conflicts')),
        sa.UniqueConstraint('station_id', 'kind', 'subject_id', 'clash', name='uq_hq_conflicts_clash')
    )
    _table('hq_high_water',
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('high_water', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_high_water_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('station_id', name=op.f('pk_hq_high_water'))
    )
    _table('hq_notices',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=True),
        sa.Column('title', sa.String(length=200), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('published_at', app.store.base.UtcDateTime(), nullable=False),
        sa.Column('hq_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_notices_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_notices'))
    )
    _table('hq_old_part_inspections',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('tag_no', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('hq_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_old_part_inspections_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_old_part_inspections')),
        sa.UniqueConstraint('tag_no', name=op.f('uq_hq_old_part_inspections_tag_no'))
    )
    _index('hq_old_part_inspections', 'ix_hq_old_part_inspections_station_id', ['station_id'])

    _table('hq_order_counters',
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('day', sa.String(length=8), nullable=False),
        sa.Column('last', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_order_counters_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('station_id', 'day', name=op.f('pk_hq_order_counters'))
    )
    _table('hq_orders',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('order_type', sa.String(length=16), nullable=False),
        sa.Column('service_mode', sa.String(length=16), nullable=False),
        sa.Column('source', sa.String(length=16), nullable=False),
        sa.Column('customer_name', sa.String(length=40), nullable=False),
        sa.Column('contact_phone', sa.String(length=32), nullable=False),
        sa.Column('hq_reference', sa.String(length=64), nullable=False),
        sa.Column('revision', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('dispatched', sa.Boolean(), nullable=False),
        sa.Column('dispatch_payload', sa.Text(), nullable=False),
        sa.Column('hq_revision', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('dispatch_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('cancel_state', sa.String(length=16), nullable=False),
        sa.Column('cancel_reason', sa.String(length=200), nullable=False),
        sa.Column('cancel_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_orders_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_orders')),
        sa.UniqueConstraint('number', name=op.f('uq_hq_orders_number'))
    )
    _index('hq_orders', 'ix_hq_orders_station', ['station_id', 'status'])

    _table('hq_parts_orders',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('number', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('hq_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_parts_orders_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_parts_orders')),
        sa.UniqueConstraint('number', name=op.f('uq_hq_parts_orders_number'))
    )
    _index('hq_parts_orders', 'ix_hq_parts_orders_station_id', ['station_id'])

    _table('hq_received_ops',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('op_id', sa.String(length=36), nullable=False),
        sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('op', sa.String(length=16), nullable=False),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('username', sa.String(length=32), nullable=False),
        sa.Column('station_time', sa.String(length=40), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('received_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_received_ops_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_received_ops')),
        sa.UniqueConstraint('station_id', 'op_id', name=op.f('uq_hq_received_ops_station_id'))
    )
    _index('hq_received_ops', 'ix_hq_received_ops_entity', ['entity', 'entity_id'])
    _index('hq_received_ops', 'ix_hq_received_ops_seq', ['station_id', 'seq'])

    _table('hq_records',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('revision', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('deleted', sa.Boolean(), nullable=False),
        sa.Column('last_seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_records_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_records')),
        sa.UniqueConstraint('entity', 'entity_id', name=op.f('uq_hq_records_entity'))
    )
    _index('hq_records', 'ix_hq_records_station', ['station_id', 'entity'])

    _table('hq_rejected_ops',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('batch_id', sa.String(length=60), nullable=False),
        sa.Column('seq', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('op_id', sa.String(length=36), nullable=False),
        sa.Column('entity', sa.String(length=32), nullable=False),
        sa.Column('entity_id', sa.String(length=36), nullable=False),
        sa.Column('op', sa.String(length=16), nullable=False),
        sa.Column('payload', sa.Text(), nullable=False),
        sa.Column('reason', sa.String(length=500), nullable=False),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_rejected_ops_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_rejected_ops'))
    )
    _index('hq_rejected_ops', 'ix_hq_rejected_ops_station_id', ['station_id'])

    _table('hq_claim_decisions',
        sa.Column('line_id', sa.String(length=36), nullable=False),
        sa.Column('batch_id', sa.String(length=36), nullable=False),
        sa.Column('station_id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('decision', sa.String(length=16), nullable=False),
        sa.Column('approved_fen', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('decided_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['batch_id'], ['hq_claim_batches.id'], name=op.f('fk_hq_claim_decisions_batch_id_hq_claim_batches')),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'], name=op.f('fk_hq_claim_decisions_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('line_id', name=op.f('pk_hq_claim_decisions'))
    )
    _index('hq_claim_decisions', 'ix_hq_claim_decisions_batch_id', ['batch_id'])

    _table('hq_conflict_settlements',
        sa.Column('conflict_id', sa.String(length=36), nullable=False),
        sa.Column('fields', sa.Text(), nullable=False),
        sa.Column('resolution', sa.Text(), nullable=False),
        sa.Column('resolved_by', sa.String(length=32), nullable=False),
        sa.Column('resolved_at', sa.String(length=40), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('updated_at', app.store.base.UtcDateTime(), nullable=False),
        sa.ForeignKeyConstraint(['conflict_id'], ['hq_conflicts.id'], name=op.f('fk_hq_conflict_settlements_conflict_id_hq_conflicts')),
        sa.PrimaryKeyConstraint('conflict_id', name=op.f('pk_hq_conflict_settlements'))
    )




def downgrade() -> None:
    op.drop_table('hq_conflict_settlements')
    op.drop_table('hq_claim_decisions')
    op.drop_table('hq_rejected_ops')
    op.drop_table('hq_records')
    op.drop_table('hq_received_ops')
    op.drop_table('hq_parts_orders')
    op.drop_table('hq_orders')
    op.drop_table('hq_order_counters')
    op.drop_table('hq_old_part_inspections')
    op.drop_table('hq_notices')
    op.drop_table('hq_high_water')
    op.drop_table('hq_conflicts')
    op.drop_table('hq_claim_batches')
    op.drop_table('hq_changes')
    op.drop_table('hq_batches')
    op.drop_table('hq_warranty_policies')
    op.drop_table('hq_stations')
    op.drop_table('hq_parts')
    op.drop_table('hq_meta')


#: every table's columns in this revision (a create_all head office must have them)
_COLUMNS: dict[str, tuple[str, ...]] = {
    'hq_meta': ('key', 'value'),
    'hq_parts': ('id', 'part_no', 'payload', 'hq_seq', 'updated_at'),
    'hq_stations': ('id', 'code', 'name', 'token_hash', 'revoked', 'created_at', 'last_push_at', 'last_pull_at', 'pulled_seq'),
    'hq_warranty_policies': ('id', 'label', 'payload', 'hq_seq', 'created_at'),
    'hq_batches': ('id', 'station_id', 'batch_id', 'from_seq', 'to_seq', 'ack_json', 'received_at'),
    'hq_changes': ('hq_seq', 'station_id', 'entity', 'entity_id', 'op', 'payload', 'created_at'),
    'hq_claim_batches': ('id', 'station_id', 'number', 'decision_payload', 'decision_seq', 'statement_no', 'claimed_fen', 'approved_fen', 'deducted_fen', 'payable_fen', 'deduct_reason', 'settled_at', 'settlement_payload', 'settlement_seq', 'updated_at'),
    'hq_conflicts': ('id', 'station_id', 'kind', 'subject_entity', 'subject_id', 'clash', 'detail', 'found_by', 'resolved', 'created_at'),
    'hq_high_water': ('station_id', 'high_water'),
    'hq_notices': ('id', 'station_id', 'title', 'body', 'published_at', 'hq_seq'),
    'hq_old_part_inspections': ('id', 'station_id', 'tag_no', 'status', 'payload', 'hq_seq', 'updated_at'),
    'hq_order_counters': ('station_id', 'day', 'last'),
    'hq_orders': ('id', 'station_id', 'number', 'status', 'order_type', 'service_mode', 'source', 'customer_name', 'contact_phone', 'hq_reference', 'revision', 'dispatched', 'dispatch_payload', 'hq_revision', 'dispatch_seq', 'cancel_state', 'cancel_reason', 'cancel_seq', 'created_at', 'updated_at'),
    'hq_parts_orders': ('id', 'station_id', 'number', 'status', 'payload', 'hq_seq', 'updated_at'),
    'hq_received_ops': ('id', 'station_id', 'op_id', 'seq', 'entity', 'entity_id', 'op', 'action', 'username', 'station_time', 'status', 'reason', 'received_at'),
    'hq_records': ('id', 'station_id', 'entity', 'entity_id', 'revision', 'payload', 'deleted', 'last_seq', 'updated_at'),
    'hq_rejected_ops': ('id', 'station_id', 'batch_id', 'seq', 'op_id', 'entity', 'entity_id', 'op', 'payload', 'reason', 'created_at'),
    'hq_claim_decisions': ('line_id', 'batch_id', 'station_id', 'decision', 'approved_fen', 'reason', 'decided_at'),
    'hq_conflict_settlements': ('conflict_id', 'fields', 'resolution', 'resolved_by', 'resolved_at', 'note', 'updated_at'),
}


