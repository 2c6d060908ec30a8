"""Pure computations over the store, shared by the window and the command line. No Qt here."""
