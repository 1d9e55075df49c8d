"""Voice of the customer: surveys, their distribution, the public response pages and the alerts they raise."""
