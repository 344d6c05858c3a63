from django.urls import URLPattern, URLResolver, include, path

from examdesk.player.views import entry, play

app_name = "player"

# One section of the attempt, as the player's script asks for it.
section_api = [
    path("start/", play.start, name="api_start"),
    path("items/", play.items, name="api_items"),
    path("save/", play.save, name="api_save"),
    path("heartbeat/", play.heartbeat, name="api_heartbeat"),
    path("submit/", play.submit, name="api_submit"),
    path("audio/", play.audio, name="api_audio"),
]

player_pages: list[URLPattern | URLResolver] = [
    path("", play.page, name="player"),
    path("api/state/", play.state, name="api_state"),
    path("api/presence/", play.presence, name="api_presence"),
    path("api/rest-break/", play.rest_break, name="api_rest_break"),
    path("api/rest-break/end/", play.rest_break_end, name="api_rest_break_end"),
    path("api/sections/<int:section_id>/", include(section_api)),
]

urlpatterns = [
    # The student's way in: the access code, the device and sound check.
    path("", entry.code, name="code"),
    path("sign-out/", entry.sign_out, name="sign_out"),
    path("check/", entry.device_check, name="check"),
    path("ready/", entry.ready, name="ready"),
    path("sound-check.wav", entry.tone, name="tone"),
    path("sw.js", play.service_worker, name="service_worker"),
    path("player/", include(player_pages)),
]
