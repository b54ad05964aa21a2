"""Before the viewing: the invitation e-mail with the appointment as a calendar event."""
