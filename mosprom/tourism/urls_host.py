"""Host cabinet and organiser back office for tourism."""

urlpatterns: list = []
