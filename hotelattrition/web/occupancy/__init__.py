"""The hotel's occupancy per night, a month at a time, for accounting and up (issue 19)."""
