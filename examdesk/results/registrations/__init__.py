"""Results Online registration letters: one candidate's, a new Secret Number, a series' letters (a job)."""
