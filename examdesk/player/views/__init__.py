"""The student's pages, no Django login: `entry` is the way in at /code/ (access code, device check, ready),
`play` the player page and its JSON API at /code/player/. Both read the attempt kept in the session under
`examdesk.player.selectors.SESSION_KEY`."""
