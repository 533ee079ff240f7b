"""The console window: site tree, senders list, site dialogs, and where the live views, the Engine menu and the
guided case are put together (``live_console``, ``engine_actions``)."""
