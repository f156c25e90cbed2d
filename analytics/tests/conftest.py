"""The analytics tests' shop with counted figures (shared with the back office's screen)."""

from testing.analytics import counted  # noqa: F401 (fixture)
