"""Navigation entries and home sections of the insight pages."""
