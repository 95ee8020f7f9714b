"""One module per resource of the API; `base` holds what they share."""
