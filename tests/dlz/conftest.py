from tests.services.conftest import data_dir, open_as  # noqa: F401  (the embedded store fixtures)
