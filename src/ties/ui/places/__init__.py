"""One module per place of the window (Today, Journal, People, Coverage, Map)."""
