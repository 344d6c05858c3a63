"""Two-step sign-in: a second factor (TOTP from an authenticator app, with recovery codes) after the password.

django-otp keeps the devices (`TOTPDevice`, `StaticDevice` for the recovery codes) and marks a session verified
(`django_otp.login`); `middleware.SecondFactorMiddleware` asks for the code on every page until it is, so every
way a session is signed in (the sign-in page, a password reset, an invitation) meets the same step.
"""
