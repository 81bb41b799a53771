"""The ticket's files: calendar event and QR image (views_ticket_files)."""

from django.urls import path

from mosprom.tourism import views_ticket_files

urlpatterns = [
    path(
        "my/tickets/<str:code>/ticket.ics",
        views_ticket_files.ticket_ics_download,
        name="ticket_ics",
    ),
    path("my/tickets/<str:code>/qr.png", views_ticket_files.ticket_qr_image, name="ticket_qr"),
]
