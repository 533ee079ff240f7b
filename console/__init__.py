"""Sender Console: the SMS 2.0 Standard Sender Properties sheet and a simulated sender engine."""

__version__ = "0.1.0"
APP_NAME = "Sender Console"
APP_ID = "org.senderconsole.SenderConsole"
