"""pickup from PMS exports: room-type aliases, saved column mappings, import records

Revision ID: 0009_pms_imports
Revises: 0006_login_throttle
Create Date: 2026-12-06 21:00:00

Shoulder-night pickup needs no table: it is kept in room_night_snapshots with kind
"shoulder", which the settlement does not read.
"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0009_pms_imports'
down_revision = '0008_contract_departure_index'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('room_type_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('alias', sa.String(length=100), nullable=False),
    sa.Column('alias_key', sa.String(length=100), nullable=False),
    sa.Column('room_type', sa.String(length=20), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_room_type_aliases_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_room_type_aliases')),
    sa.UniqueConstraint('property_id', 'alias_key', name=op.f('uq_room_type_aliases_property_id_alias_key'))
    )
    op.create_table('pickup_source_mappings',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('property_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=60), nullable=False),
    sa.Column('mapping', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['property_id'], ['properties.id'], name=op.f('fk_pickup_source_mappings_property_id_properties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_source_mappings')),
    sa.UniqueConstraint('property_id', 'name', name=op.f('uq_pickup_source_mappings_property_id_name'))
    )
    op.create_table('pickup_import_records',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('file_name', sa.String(length=255), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('source', sa.String(length=60), nullable=False),
    sa.Column('encoding', sa.String(length=40), nullable=False),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=True),
    sa.Column('imported_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('rows', sa.Integer(), nullable=False),
    sa.Column('room_nights', sa.Integer(), nullable=False),
    sa.Column('changed', sa.Integer(), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], name=op.f('fk_pickup_import_records_user_id_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_pickup_import_records'))
    )
    op.create_index(op.f('ix_pickup_import_records_sha256'), 'pickup_import_records', ['sha256'], unique=False)


def downgrade():
    op.drop_index(op.f('ix_pickup_import_records_sha256'), table_name='pickup_import_records')
    op.drop_table('pickup_import_records')
    op.drop_table('pickup_source_mappings')
    op.drop_table('room_type_aliases')
