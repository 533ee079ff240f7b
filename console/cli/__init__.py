"""The argparse front end (DESIGN.md §4)."""
