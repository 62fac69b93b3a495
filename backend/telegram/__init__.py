"""The helpdesk's Telegram group: hand-over posts with an 'Oppakken' button, replies to a post
reach the entrepreneur, /vrij and /sluit. See helpdesk.py (the object on app.state.telegram)."""
