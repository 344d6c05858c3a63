from django.urls import path

from examdesk.player import views, views_play

app_name = "player"

urlpatterns = [
    path("", views.code, name="code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("check/", views.device_check, name="check"),
    path("ready/", views.ready, name="ready"),
    path("sound-check.wav", views.tone, name="tone"),
    path("player/", views_play.page, name="player"),
    path("player/api/state/", views_play.state, name="api_state"),
    path("player/api/sections/<int:section_id>/start/", views_play.start, name="api_start"),
    path("player/api/sections/<int:section_id>/items/", views_play.items, name="api_items"),
    path("player/api/sections/<int:section_id>/save/", views_play.save, name="api_save"),
    path("player/api/sections/<int:section_id>/heartbeat/", views_play.heartbeat, name="api_heartbeat"),
    path("player/api/sections/<int:section_id>/submit/", views_play.submit, name="api_submit"),
    path("player/api/sections/<int:section_id>/audio/", views_play.audio, name="api_audio"),
]
