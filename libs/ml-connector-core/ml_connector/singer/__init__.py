"""Singer SDK plumbing shared by every ml-connector tap."""
