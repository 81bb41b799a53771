"""Public tourism pages (calendar, experience, booking, tickets, waitlist, feedback)."""

from django.urls import path

from mosprom.tourism import views_public

urlpatterns = [
    path("tours/", views_public.calendar, name="calendar"),
    path("tours/<int:pk>/", views_public.experience_detail, name="experience_detail"),
    path("tours/sessions/<int:pk>/book/", views_public.book, name="book"),
    path("tours/sessions/<int:pk>/waitlist/", views_public.waitlist_join, name="waitlist_join"),
    path("tours/waitlist/<int:pk>/leave/", views_public.waitlist_leave, name="waitlist_leave"),
    path("tours/waitlist/<int:pk>/offer/", views_public.waitlist_offer, name="waitlist_offer"),
    path("my/tickets/", views_public.my_tickets, name="my_tickets"),
    path("my/tickets/<str:code>/", views_public.ticket, name="ticket"),
    path("my/tickets/<str:code>/cancel/", views_public.booking_cancel, name="booking_cancel"),
    path("my/tickets/<str:code>/feedback/", views_public.feedback, name="feedback"),
]
