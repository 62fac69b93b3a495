"""telegram helpdesk group: hand-over posts (outbox + message mapping) and seen updates

Revision ID: 0004
Revises: 0002
Create Date: 2026-11-23 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0004'
down_revision: str | Sequence[str] | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: new tables only (plain CREATE TABLE, no rebuild of existing ones)."""
    op.create_table(
        'telegram_handovers',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=40), nullable=False),
        sa.Column('request_key', sa.String(length=80), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('last_error', sa.String(length=300), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.Column('chat_id', sa.BigInteger(), nullable=True),
        sa.Column('message_id', sa.BigInteger(), nullable=True),
        sa.Column('claimed_by_id', sa.BigInteger(), nullable=True),
        sa.Column('claimed_by', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
        sa.UniqueConstraint('request_key'),
        sa.UniqueConstraint('chat_id', 'message_id', name='uq_telegram_handovers_message'),
    )
    op.create_index('ix_telegram_handovers_conversation_id', 'telegram_handovers',
                    ['conversation_id'], unique=False)
    op.create_index('ix_telegram_handovers_status', 'telegram_handovers', ['status'],
                    unique=False)
    op.create_table(
        'telegram_updates',
        sa.Column('update_id', sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('status', sa.String(length=12), nullable=False),
        sa.PrimaryKeyConstraint('update_id'),
    )
    op.create_index('ix_telegram_updates_received_at', 'telegram_updates', ['received_at'],
                    unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    op.drop_index('ix_telegram_updates_received_at', table_name='telegram_updates')
    op.drop_table('telegram_updates')
    op.drop_index('ix_telegram_handovers_status', table_name='telegram_handovers')
    op.drop_index('ix_telegram_handovers_conversation_id', table_name='telegram_handovers')
    op.drop_table('telegram_handovers')
