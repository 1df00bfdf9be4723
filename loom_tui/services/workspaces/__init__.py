"""The Workspaces area's services: workspaces, items, folders, members and grants, comments, and
the small edits and name reservations they share. Imports nothing itself."""
