"""Results Online, the candidate site: registration, sign-in, forgotten password, results and statements."""
