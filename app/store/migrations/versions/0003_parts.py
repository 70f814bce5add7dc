"""parts: catalogue with shelf settings, stock ledger, reservations, counter sales, stock
counts, orders to head office, old parts and their return shipments, document counters

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:00:00
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('document_counters',
    sa.Column('prefix', sa.String(length=4), nullable=False),
    sa.Column('day', sa.String(length=8), nullable=False),
    sa.Column('last', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'day', name=op.f('pk_document_counters'))
    )
    op.create_table('parts',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('part_no', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('specification', sa.String(length=200), nullable=False),
    sa.Column('models', sa.String(length=500), nullable=False),
    sa.Column('unit', sa.String(length=8), nullable=False),
    sa.Column('retail_price_fen', sa.Integer(), nullable=False),
    sa.Column('station_price_fen', sa.Integer(), nullable=False),
    sa.Column('return_required', sa.Boolean(), nullable=False),
    sa.Column('warranty_months', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('hq_revision', sa.Integer(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parts')),
    sa.UniqueConstraint('part_no', name=op.f('uq_parts_part_no'))
    )
    with op.batch_alter_table('parts', schema=None) as batch_op:
        batch_op.create_index('ix_parts_name', ['name'], unique=False)

    op.create_table('old_part_shipments',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('shipped_at', sa.DateTime(), nullable=True),
    sa.Column('carrier', sa.String(length=64), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_old_part_shipments_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_old_part_shipments')),
    sa.UniqueConstraint('number', name=op.f('uq_old_part_shipments_number'))
    )
    op.create_table('part_settings',
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('location', sa.String(length=32), nullable=False),
    sa.Column('low_stock_threshold', sa.Integer(), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_part_settings_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_part_settings')),
    sa.UniqueConstraint('part_id', name=op.f('uq_part_settings_part_id'))
    )
    op.create_table('parts_orders',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('created_by', sa.String(length=36), nullable=True),
    sa.Column('submitted_at', sa.DateTime(), nullable=True),
    sa.Column('confirmed_at', sa.DateTime(), nullable=True),
    sa.Column('shipped_at', sa.DateTime(), nullable=True),
    sa.Column('note', sa.String(length=200), nullable=False),
    sa.Column('hq_note', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['created_by'], ['users.id'], name=op.f('fk_parts_orders_created_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parts_orders')),
    sa.UniqueConstraint('number', name=op.f('uq_parts_orders_number'))
    )
    op.create_table('sales',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('sold_at', sa.DateTime(), nullable=False),
    sa.Column('cashier_id', sa.String(length=36), nullable=True),
    sa.Column('customer_id', sa.String(length=36), nullable=True),
    sa.Column('customer_name', sa.String(length=40), nullable=False),
    sa.Column('customer_phone', sa.String(length=32), nullable=False),
    sa.Column('discount_fen', sa.Integer(), nullable=False),
    sa.Column('payment_method', sa.String(length=16), nullable=False),
    sa.Column('voided_at', sa.DateTime(), nullable=True),
    sa.Column('voided_by', sa.String(length=36), nullable=True),
    sa.Column('void_reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['cashier_id'], ['users.id'], name=op.f('fk_sales_cashier_id_users')),
    sa.ForeignKeyConstraint(['customer_id'], ['customers.id'], name=op.f('fk_sales_customer_id_customers')),
    sa.ForeignKeyConstraint(['voided_by'], ['users.id'], name=op.f('fk_sales_voided_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sales')),
    sa.UniqueConstraint('number', name=op.f('uq_sales_number'))
    )
    with op.batch_alter_table('sales', schema=None) as batch_op:
        batch_op.create_index('ix_sales_sold', ['sold_at'], unique=False)

    op.create_table('stock_counts',
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('opened_by', sa.String(length=36), nullable=True),
    sa.Column('opened_at', sa.DateTime(), nullable=False),
    sa.Column('posted_by', sa.String(length=36), nullable=True),
    sa.Column('posted_at', sa.DateTime(), nullable=True),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['opened_by'], ['users.id'], name=op.f('fk_stock_counts_opened_by_users')),
    sa.ForeignKeyConstraint(['posted_by'], ['users.id'], name=op.f('fk_stock_counts_posted_by_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_counts')),
    sa.UniqueConstraint('number', name=op.f('uq_stock_counts_number'))
    )
    op.create_table('parts_order_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('parts_order_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('confirmed_quantity', sa.Integer(), nullable=True),
    sa.Column('shipped_quantity', sa.Integer(), nullable=False),
    sa.Column('received_quantity', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_parts_order_lines_part_id_parts')),
    sa.ForeignKeyConstraint(['parts_order_id'], ['parts_orders.id'], name=op.f('fk_parts_order_lines_parts_order_id_parts_orders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_parts_order_lines'))
    )
    with op.batch_alter_table('parts_order_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_parts_order_lines_parts_order_id'), ['parts_order_id'], unique=False)

    op.create_table('sale_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('sale_id', sa.String(length=36), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('unit_price_fen', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_sale_lines_part_id_parts')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_sale_lines_sale_id_sales'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_sale_lines'))
    )
    with op.batch_alter_table('sale_lines', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_sale_lines_sale_id'), ['sale_id'], unique=False)

    op.create_table('stock_count_lines',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('count_id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('book_quantity', sa.Integer(), nullable=False),
    sa.Column('counted', sa.Integer(), nullable=True),
    sa.Column('counted_at', sa.DateTime(), nullable=True),
    sa.Column('counted_by', sa.String(length=36), nullable=True),
    sa.ForeignKeyConstraint(['count_id'], ['stock_counts.id'], name=op.f('fk_stock_count_lines_count_id_stock_counts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['counted_by'], ['users.id'], name=op.f('fk_stock_count_lines_counted_by_users')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stock_count_lines_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_count_lines'))
    )
    with op.batch_alter_table('stock_count_lines', schema=None) as batch_op:
        batch_op.create_index('uq_stock_count_lines_part', ['count_id', 'part_id'], unique=True)

    op.create_table('old_parts',
    sa.Column('tag_no', sa.String(length=40), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('charge_line_id', sa.String(length=36), nullable=True),
    sa.Column('status', sa.String(length=16), nullable=False),
    sa.Column('shipment_id', sa.String(length=36), nullable=True),
    sa.Column('inspection_result', sa.String(length=32), nullable=False),
    sa.Column('inspection_note', sa.String(length=200), nullable=False),
    sa.Column('inspected_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_old_parts_order_id_service_orders')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_old_parts_part_id_parts')),
    sa.ForeignKeyConstraint(['shipment_id'], ['old_part_shipments.id'], name=op.f('fk_old_parts_shipment_id_old_part_shipments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_old_parts')),
    sa.UniqueConstraint('tag_no', name=op.f('uq_old_parts_tag_no'))
    )
    with op.batch_alter_table('old_parts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_old_parts_order_id'), ['order_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_old_parts_shipment_id'), ['shipment_id'], unique=False)
        batch_op.create_index('ix_old_parts_status', ['status', 'created_at'], unique=False)

    op.create_table('stock_movements',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('user_id', sa.String(length=36), nullable=True),
    sa.Column('username', sa.String(length=32), nullable=False),
    sa.Column('reason', sa.String(length=200), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=True),
    sa.Column('sale_id', sa.String(length=36), nullable=True),
    sa.Column('count_id', sa.String(length=36), nullable=True),
    sa.Column('parts_order_id', sa.String(length=36), nullable=True),
    sa.Column('reference', sa.String(length=40), nullable=False),
    sa.CheckConstraint('quantity <> 0', name=op.f('ck_stock_movements_nonzero')),
    sa.ForeignKeyConstraint(['count_id'], ['stock_counts.id'], name=op.f('fk_stock_movements_count_id_stock_counts')),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_stock_movements_order_id_service_orders')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stock_movements_part_id_parts')),
    sa.ForeignKeyConstraint(['parts_order_id'], ['parts_orders.id'], name=op.f('fk_stock_movements_parts_order_id_parts_orders')),
    sa.ForeignKeyConstraint(['sale_id'], ['sales.id'], name=op.f('fk_stock_movements_sale_id_sales')),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_stock_movements_user_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_movements'))
    )
    with op.batch_alter_table('stock_movements', schema=None) as batch_op:
        batch_op.create_index('ix_stock_movements_order', ['order_id'], unique=False)
        batch_op.create_index('ix_stock_movements_part', ['part_id', 'created_at', 'id'], unique=False)

    op.create_table('stock_reservations',
    sa.Column('part_id', sa.String(length=36), nullable=False),
    sa.Column('order_id', sa.String(length=36), nullable=False),
    sa.Column('quantity', sa.Integer(), nullable=False),
    sa.Column('released_at', sa.DateTime(), nullable=True),
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('revision', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('updated_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['order_id'], ['service_orders.id'], name=op.f('fk_stock_reservations_order_id_service_orders')),
    sa.ForeignKeyConstraint(['part_id'], ['parts.id'], name=op.f('fk_stock_reservations_part_id_parts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_stock_reservations'))
    )
    with op.batch_alter_table('stock_reservations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_stock_reservations_order_id'), ['order_id'], unique=False)
        batch_op.create_index('ix_stock_reservations_part', ['part_id', 'released_at'], unique=False)



def downgrade() -> None:
    op.drop_table('stock_reservations')
    op.drop_table('stock_movements')
    op.drop_table('old_parts')
    op.drop_table('stock_count_lines')
    op.drop_table('sale_lines')
    op.drop_table('parts_order_lines')
    op.drop_table('stock_counts')
    op.drop_table('sales')
    op.drop_table('parts_orders')
    op.drop_table('part_settings')
    op.drop_table('old_part_shipments')
    op.drop_table('parts')
    op.drop_table('document_counters')
