"""Attention: interactions on every channel, measured in each branch's business hours."""
