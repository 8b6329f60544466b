"""The portal's own account pages under /tai-khoan/ (what allauth lacks)."""

urlpatterns = []
