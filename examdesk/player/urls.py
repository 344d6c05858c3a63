from django.urls import path

from examdesk.player import views

app_name = "player"

urlpatterns = [
    path("", views.code, name="code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("check/", views.device_check, name="check"),
    path("ready/", views.ready, name="ready"),
    path("sound-check.wav", views.tone, name="tone"),
]
