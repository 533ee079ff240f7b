"""The live engine's parts: the bridge, the context strip, speed controls, the outbox and the Engine dialogs."""
