"""csrpractice: rehearse difficult customer-service conversations, offline."""

__version__ = "0.1.0"
