"""The centre's results pages: the search (exam and preparation centres), a candidate's results, exports, links."""
