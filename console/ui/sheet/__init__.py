"""The Standard Sender Properties sheet: its pages and its inline advisory."""
