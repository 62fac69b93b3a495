"""voice: the Twilio CallSid of a phone call's conversation

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 09:00:00

"""
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision: str = '0006'
down_revision: str | Sequence[str] | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Upgrade schema: plain ADD COLUMN."""
    op.add_column('conversations', sa.Column('call_sid', sa.String(length=64), nullable=True))


def downgrade() -> None:
    op.drop_column('conversations', 'call_sid')
