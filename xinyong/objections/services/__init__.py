"""Writes of the objections app: filing, handling, deciding, overdue sweep, complaints, litigation, repair."""
