"""The reason lists on the web: an administrator adds, retires and brings back reasons."""
