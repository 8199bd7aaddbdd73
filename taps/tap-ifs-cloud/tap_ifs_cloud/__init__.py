"""tap-ifs-cloud: IFS Cloud OData projections as Singer streams."""
