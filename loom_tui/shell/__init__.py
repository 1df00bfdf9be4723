"""The console's shell around the screens: what keeps it safe at a terminal (a jump box, an SSH
link that drops): the terminal guard, "where was I", in-order key delivery and the mixins that wire
them into the App."""
