"""IFS Cloud emulator tests."""
