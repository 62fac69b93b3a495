"""Channels that terminate in the hub: WhatsApp through Twilio (and later the phone line)."""
