"""The guided Q278357 case beside the live views."""
