"""Reading log files: line classification, rows, and reading files in blocks. No Qt."""
