"""The live Sender.log tab of the console, and the log viewer window (CMTrace-style) for log files."""
