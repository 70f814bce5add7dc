"""Several devices per station (issue 15): ``hq_devices`` with each device's token, seq mark
and last sync; the device of each received op; each record's last writing device and the
change that relayed it; the op id and origin device of relayed changes.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01

Every existing station becomes its own device 1, with the station's token and high-water
mark, so a station keeps working unchanged with the token it has.
"""

import sqlalchemy as sa
from alembic import op

import app.store.base

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

_INT = sa.BigInteger().with_variant(sa.Integer(), 'sqlite')


def upgrade() -> None:
    # a database create_all made before migrations is brought to 0001 with today's tables:
    # it has these already, and only needs its stations made devices
    if 'hq_devices' not in sa.inspect(op.get_bind()).get_table_names():
        _schema()
    _devices_from_stations()


def _schema() -> None:
    op.create_table('hq_devices',
        sa.Column('id', _INT, autoincrement=True, nullable=False),
        sa.Column('station_id', _INT, nullable=False),
        sa.Column('number', _INT, nullable=False),
        sa.Column('name', sa.String(length=64), nullable=False),
        sa.Column('tag', sa.String(length=2), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('revoked', sa.Boolean(), nullable=False),
        sa.Column('revoked_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('created_at', app.store.base.UtcDateTime(), nullable=False),
        sa.Column('last_push_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('last_pull_at', app.store.base.UtcDateTime(), nullable=True),
        sa.Column('pulled_seq', _INT, nullable=False),
        sa.Column('high_water', _INT, nullable=False),
        sa.Column('needs_snapshot', sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(['station_id'], ['hq_stations.id'],
                                name=op.f('fk_hq_devices_station_id_hq_stations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_hq_devices')),
        sa.UniqueConstraint('station_id', 'number',
                            name=op.f('uq_hq_devices_station_id')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_hq_devices_token_hash')),
    )
    op.create_index('ix_hq_devices_station_id', 'hq_devices', ['station_id'], unique=False)
    with op.batch_alter_table('hq_received_ops') as batch:
        batch.add_column(sa.Column('device_id', _INT, nullable=True))
        batch.create_foreign_key(op.f('fk_hq_received_ops_device_id_hq_devices'),
                                 'hq_devices', ['device_id'], ['id'])
    with op.batch_alter_table('hq_records') as batch:
        batch.add_column(sa.Column('last_device_id', _INT, server_default='0', nullable=False))
        batch.add_column(sa.Column('last_change_seq', _INT, server_default='0',
                                   nullable=False))
    with op.batch_alter_table('hq_changes') as batch:
        batch.add_column(sa.Column('op_id', sa.String(length=36), server_default='',
                                   nullable=False))
        batch.add_column(sa.Column('origin_device_id', _INT, nullable=True))
        batch.create_foreign_key(op.f('fk_hq_changes_origin_device_id_hq_devices'),
                                 'hq_devices', ['origin_device_id'], ['id'])


def _devices_from_stations() -> None:
    # every station so far is one device: device 1, with the station's token and mark
    op.execute(sa.text(
        "INSERT INTO hq_devices (station_id, number, name, tag, token_hash, revoked, "
        "created_at, last_push_at, last_pull_at, pulled_seq, high_water, needs_snapshot) "
        "SELECT s.id, 1, '1号机', '', s.token_hash, s.revoked, s.created_at, s.last_push_at, "
        "s.last_pull_at, s.pulled_seq, COALESCE(h.high_water, 0), :no "
        "FROM hq_stations s LEFT JOIN hq_high_water h ON h.station_id = s.id "
        "WHERE NOT EXISTS (SELECT 1 FROM hq_devices d WHERE d.station_id = s.id)"
    ).bindparams(no=False))
    op.execute(sa.text(
        "UPDATE hq_received_ops SET device_id = (SELECT d.id FROM hq_devices d "
        "WHERE d.station_id = hq_received_ops.station_id AND d.number = 1) "
        "WHERE device_id IS NULL"))


def downgrade() -> None:
    with op.batch_alter_table('hq_changes') as batch:
        batch.drop_constraint(op.f('fk_hq_changes_origin_device_id_hq_devices'),
                              type_='foreignkey')
        batch.drop_column('origin_device_id')
        batch.drop_column('op_id')
    with op.batch_alter_table('hq_records') as batch:
        batch.drop_column('last_change_seq')
        batch.drop_column('last_device_id')
    with op.batch_alter_table('hq_received_ops') as batch:
        batch.drop_constraint(op.f('fk_hq_received_ops_device_id_hq_devices'),
                              type_='foreignkey')
        batch.drop_column('device_id')
    op.drop_index('ix_hq_devices_station_id', table_name='hq_devices')
    op.drop_table('hq_devices')
