"""Small widgets shared by the window's areas (forms with field errors, message helpers)."""
