"""The registry: institutions, centers, their lifecycle decisions, grants and the committee."""
