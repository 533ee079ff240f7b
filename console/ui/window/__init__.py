"""The console's main window: site tree, senders list, site dialogs."""
