from django.urls import path

from mosprom.accounts import views, views_profile, views_staff

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("signup/", views.signup, name="signup"),
    path("signup/sent/", views.signup_sent, name="signup_sent"),
    path("confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("confirm-resend/", views.confirm_resend, name="confirm_resend"),
    path("password-reset/", views.password_reset, name="password_reset"),
    path("password-reset/sent/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "password-reset/<uidb64>/<token>/",
        views.password_reset_confirm,
        name="password_reset_confirm",
    ),
    path("profile/", views_profile.profile, name="profile"),
    path("consent/", views_profile.consent_current, name="consent_current"),
    path("consent/accept/", views_profile.consent_accept, name="consent_accept"),
    path("tokens/", views_profile.token_list, name="token_list"),
    path("users/", views_staff.user_list, name="user_list"),
    path("users/<int:pk>/", views_staff.user_detail, name="user_detail"),
    path("users/<int:pk>/reveal/", views_staff.user_reveal, name="user_reveal"),
    path("audit/", views_staff.audit_log, name="audit_log"),
]
