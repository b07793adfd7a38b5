"""What tests and benchmarks share: the captured pages, synthetic articles, local servers."""
