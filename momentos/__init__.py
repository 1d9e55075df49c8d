"""momentos: design, roll out and measure a customer service protocol."""

__version__ = "0.1.0"
