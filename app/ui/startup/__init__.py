"""What comes before the main window: the first-run set-up and the login dialog."""
