"""Public tourism pages (calendar, experience, booking, tickets, waitlist, feedback)."""

urlpatterns: list = []
