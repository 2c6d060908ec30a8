"""Item models that page from the store: views ask for rows, never for whole tables."""
