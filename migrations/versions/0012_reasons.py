"""reasons: the configurable lists (waiver, lost business, account lost), seeded in EN/ES

Revision ID: 0012_reasons
Revises: 0011_account_affiliates
Create Date: 2026-12-06 23:30:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0012_reasons'
down_revision = '0011_account_affiliates'
branch_labels = None
depends_on = None

DEFAULTS = {
    'waiver': [
        ('relationship', 'Relationship', 'Relación con el cliente'),
        ('service_failure', 'Service failure', 'Fallo de servicio'),
        ('resold', 'Rooms resold elsewhere', 'Habitaciones revendidas'),
        ('force_majeure', 'Force majeure', 'Fuerza mayor'),
        ('negotiated', 'Negotiated settlement', 'Acuerdo negociado'),
        ('other', 'Other', 'Otro'),
    ],
    'lost_business': [
        ('rate_too_high', 'Rate too high', 'Tarifa demasiado alta'),
        ('fb_minimum_too_high', 'F&B minimum too high', 'Mínimo de A&B demasiado alto'),
        ('other_hotel', 'Chose another hotel', 'Eligió otro hotel'),
        ('other_destination', 'Chose another destination', 'Eligió otro destino'),
        ('dates_unavailable', 'Dates unavailable', 'Fechas no disponibles'),
        ('event_cancelled', 'Event cancelled', 'Evento cancelado'),
        ('other', 'Other', 'Otro'),
    ],
    'account_lost': [
        ('slow_service', 'Slow or indifferent service', 'Servicio lento o indiferente'),
        ('event_dissatisfied', 'Dissatisfied with the event', 'Insatisfecho con el evento'),
        ('price', 'Price', 'Precio'),
        ('competitor', 'Won by a competitor', 'Lo ganó la competencia'),
        ('event_ended', 'Event ended', 'El evento terminó'),
        ('moved', 'Moved', 'Se trasladó'),
        ('new_buyer', 'New buyer', 'Nuevo comprador'),
        ('other', 'Other', 'Otro'),
    ],
}


def upgrade():
    reasons = op.create_table('reasons',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('label_en', sa.String(length=120), nullable=False),
    sa.Column('label_es', sa.String(length=120), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reasons')),
    sa.UniqueConstraint('kind', 'code', name=op.f('uq_reasons_kind_code'))
    )
    op.bulk_insert(reasons, [
        {'kind': kind, 'code': code, 'label_en': en, 'label_es': es, 'position': n, 'active': True}
        for kind, rows in DEFAULTS.items()
        for n, (code, en, es) in enumerate(rows, start=1)
    ])


def downgrade():
    op.drop_table('reasons')
