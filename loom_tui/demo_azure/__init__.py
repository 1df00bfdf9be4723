"""The demo Azure: a local Azure Resource Manager on 127.0.0.1 (see server.py, launcher.py)."""
