"""callbacks: callback requests staff act on, and a phone call's final status

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-07 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0007'
down_revision: str | Sequence[str] | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("status = 'open'")


def upgrade() -> None:
    """Upgrade schema: plain ADD COLUMN and CREATE TABLE (no rebuild of existing tables)."""
    op.add_column('conversations', sa.Column('call_status', sa.String(length=20),
                                             nullable=True))
    op.add_column('conversations', sa.Column('call_ended_at', sa.DateTime(timezone=True),
                                             nullable=True))
    op.create_table(
        'callback_requests',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('reference', sa.String(length=20), nullable=True),
        sa.Column('conversation_id', sa.String(length=40), nullable=False),
        sa.Column('phone', sa.String(length=20), nullable=True),
        sa.Column('reason', sa.String(length=20), nullable=False),
        sa.Column('status', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('done_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('done_by', sa.String(length=120), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_callback_requests_reference', 'callback_requests', ['reference'],
                    unique=True)
    op.create_index('ix_callback_requests_conversation_id', 'callback_requests',
                    ['conversation_id'], unique=False)
    op.create_index('ix_callback_requests_status', 'callback_requests', ['status'],
                    unique=False)
    # one open request per conversation (SQLite and PostgreSQL both have partial indexes)
    op.create_index('uq_callback_requests_open', 'callback_requests', ['conversation_id'],
                    unique=True, sqlite_where=OPEN, postgresql_where=OPEN)


def downgrade() -> None:
    """Downgrade schema."""
    for name in ('uq_callback_requests_open', 'ix_callback_requests_status',
                 'ix_callback_requests_conversation_id', 'ix_callback_requests_reference'):
        op.drop_index(name, table_name='callback_requests')
    op.drop_table('callback_requests')
    op.drop_column('conversations', 'call_ended_at')
    op.drop_column('conversations', 'call_status')
