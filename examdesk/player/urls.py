from django.urls import path

from examdesk.player.views import entry, play

app_name = "player"

urlpatterns = [
    path("", entry.code, name="code"),
    path("sign-out/", entry.sign_out, name="sign_out"),
    path("check/", entry.device_check, name="check"),
    path("ready/", entry.ready, name="ready"),
    path("sound-check.wav", entry.tone, name="tone"),
    path("player/", play.page, name="player"),
    path("player/api/state/", play.state, name="api_state"),
    path("player/api/sections/<int:section_id>/start/", play.start, name="api_start"),
    path("player/api/sections/<int:section_id>/items/", play.items, name="api_items"),
    path("player/api/sections/<int:section_id>/save/", play.save, name="api_save"),
    path("player/api/sections/<int:section_id>/heartbeat/", play.heartbeat, name="api_heartbeat"),
    path("player/api/sections/<int:section_id>/submit/", play.submit, name="api_submit"),
    path("player/api/sections/<int:section_id>/audio/", play.audio, name="api_audio"),
]
