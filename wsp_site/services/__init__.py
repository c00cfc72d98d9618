"""Domain logic as plain functions and classes, without request objects."""
