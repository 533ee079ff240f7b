"""The Sender.log view and loading log files into it."""
