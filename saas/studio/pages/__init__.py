"""The studio's web pages: dashboard and video pages, avatars, the editor."""
