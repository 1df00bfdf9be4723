"""The one formatter of the console's output (headless commands and exports alike): :mod:`.rows`
writes rows and records in every format, :mod:`.document` the JSON/YAML documents and JMESPath.
It sits below the services and the commands (it imports only the domain's text rules and the
error family), so both use the same one.  This package imports nothing itself."""
