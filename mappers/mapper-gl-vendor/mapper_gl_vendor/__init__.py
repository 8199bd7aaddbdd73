"""mapper-gl-vendor: GL account, cost center and vendor resolution with quarantine."""
