"""Singer tap for Infor CloudSuite M3 through the ION API Gateway."""
