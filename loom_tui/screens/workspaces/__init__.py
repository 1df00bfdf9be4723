"""The Workspaces area: the list, the detail screen and its panes, the workspace form."""
