"""batches, their items and files; Procrastinate's job queue schema on PostgreSQL

Revision ID: 0010_batches
Revises: 0009_pms_imports
Create Date: 2026-12-06 21:20:00

The queue's schema is Procrastinate's own schema.sql, read from the installed package (pinned
to 3.10.x in pyproject.toml): a later Procrastinate brings SQL deltas that need a revision of
ours. On SQLite there is no queue: batches run in the process that asks for them.
"""
from alembic import op
import sqlalchemy as sa


revision = '0010_batches'
down_revision = '0009_pms_imports'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('batches',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('params', sa.JSON(), nullable=False),
    sa.Column('requested_by', sa.String(length=254), nullable=False),
    sa.Column('requested_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batches'))
    )
    op.create_table('batch_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('state', sa.String(length=10), nullable=False),
    sa.Column('reason', sa.String(length=1000), nullable=True),
    sa.Column('result', sa.String(length=200), nullable=True),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_items_batch_id_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_batch_items')),
    sa.UniqueConstraint('batch_id', 'key', name=op.f('uq_batch_items_batch_id_key'))
    )
    op.create_index('ix_batch_items_batch_id_state', 'batch_items', ['batch_id', 'state'], unique=False)
    op.create_table('batch_files',
    sa.Column('batch_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('mimetype', sa.String(length=100), nullable=False),
    sa.Column('content', sa.LargeBinary(), nullable=False),
    sa.ForeignKeyConstraint(['batch_id'], ['batches.id'], name=op.f('fk_batch_files_batch_id_batches'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('batch_id', 'name', name=op.f('pk_batch_files'))
    )
    if op.get_bind().dialect.name == 'postgresql':
        from procrastinate.schema import SchemaManager

        _run_script(SchemaManager.get_schema())


def _run_script(sql):
    """Run a SQL script on the migration's connection and transaction, as it is: psycopg's
    own execute without parameters leaves its % signs alone (SQLAlchemy's would not)."""
    op.get_bind().connection.driver_connection.execute(sql)


# Everything Procrastinate's schema creates is named procrastinate_*: drop what the catalogue
# lists, so the downgrade follows the schema without repeating it.
DROP_QUEUE = """
DO $$
DECLARE obj record;
BEGIN
  FOR obj IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = current_schema() AND c.relkind = 'r'
               AND c.relname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', obj.relname);
  END LOOP;
  FOR obj IN SELECT p.oid::regprocedure AS sig FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', obj.sig);
  END LOOP;
  FOR obj IN SELECT t.typname FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = current_schema() AND t.typtype IN ('e', 'c', 'd')
               AND t.typname LIKE 'procrastinate\\_%' LOOP
    EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', obj.typname);
  END LOOP;
END $$;
"""


def downgrade():
    if op.get_bind().dialect.name == 'postgresql':
        _run_script(DROP_QUEUE)
    op.drop_table('batch_files')
    op.drop_index('ix_batch_items_batch_id_state', table_name='batch_items')
    op.drop_table('batch_items')
    op.drop_table('batches')
