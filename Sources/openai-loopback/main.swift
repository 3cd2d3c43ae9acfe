// Replaced by the loopback server entry point.
