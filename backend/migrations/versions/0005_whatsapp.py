"""whatsapp: contacts on conversations, provider ids on messages, the outbox

Revision ID: 0005
Revises: 0002
Create Date: 2026-11-23 09:30:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0005'
down_revision: str | Sequence[str] | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: plain ADD COLUMN and CREATE TABLE (no rebuild of existing tables)."""
    op.add_column('conversations', sa.Column('contact', sa.String(length=20), nullable=True))
    op.add_column('conversations', sa.Column('profile_name', sa.String(length=120),
                                             nullable=True))
    op.add_column('conversations', sa.Column('greeted_at', sa.DateTime(timezone=True),
                                             nullable=True))
    op.create_index('ix_conversations_contact', 'conversations', ['contact'], unique=False)
    op.add_column('messages', sa.Column('provider_id', sa.String(length=64), nullable=True))
    op.add_column('messages', sa.Column('processed_at', sa.DateTime(timezone=True),
                                        nullable=True))
    op.create_index('ix_messages_provider_id', 'messages', ['provider_id'], unique=True)
    op.create_index('ix_messages_processed_at', 'messages', ['processed_at'], unique=False)
    op.create_table(
        'outbox_messages',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('conversation_id', sa.String(length=40), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=20), nullable=False),
        sa.Column('to', sa.String(length=64), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('status', sa.String(length=20), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('provider_sid', sa.String(length=64), nullable=True),
        sa.Column('content_sid', sa.String(length=64), nullable=True),
        sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(['conversation_id'], ['conversations.id'], ondelete='CASCADE'),
        sa.ForeignKeyConstraint(['message_id'], ['messages.id'], ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id'),
    )
    op.create_index('ix_outbox_messages_conversation_id', 'outbox_messages',
                    ['conversation_id'], unique=False)
    op.create_index('ix_outbox_messages_message_id', 'outbox_messages', ['message_id'],
                    unique=False)
    op.create_index('ix_outbox_messages_status', 'outbox_messages', ['status'], unique=False)
    op.create_index('ix_outbox_messages_next_attempt_at', 'outbox_messages',
                    ['next_attempt_at'], unique=False)


def downgrade() -> None:
    """Downgrade schema."""
    for name in ('ix_outbox_messages_next_attempt_at', 'ix_outbox_messages_status',
                 'ix_outbox_messages_message_id', 'ix_outbox_messages_conversation_id'):
        op.drop_index(name, table_name='outbox_messages')
    op.drop_table('outbox_messages')
    op.drop_index('ix_messages_processed_at', table_name='messages')
    op.drop_index('ix_messages_provider_id', table_name='messages')
    op.drop_column('messages', 'processed_at')
    op.drop_column('messages', 'provider_id')
    op.drop_index('ix_conversations_contact', table_name='conversations')
    op.drop_column('conversations', 'greeted_at')
    op.drop_column('conversations', 'profile_name')
    op.drop_column('conversations', 'contact')
