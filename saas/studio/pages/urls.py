from . import avatars, editor, videos

urlpatterns = videos.urlpatterns + avatars.urlpatterns + editor.urlpatterns
