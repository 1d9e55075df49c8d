"""Project configuration: settings, root URLs and server entry points."""
