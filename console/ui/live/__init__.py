"""The live engine in the window: bridge, actions, context strip, speed controls, outbox."""
