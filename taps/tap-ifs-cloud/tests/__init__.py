"""tap-ifs-cloud tests."""
