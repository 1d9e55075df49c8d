"""Domain-free building blocks: base models, tenant scoping, access helpers, API errors, test bases."""
