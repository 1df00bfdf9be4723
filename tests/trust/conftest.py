from tests.services.conftest import ctx, data_dir, open_as  # noqa: F401
