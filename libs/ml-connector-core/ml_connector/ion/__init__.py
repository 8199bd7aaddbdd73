"""ml-connector."""
