"""The portal's time zone, in one place: settings read it (TIME_ZONE, CELERY_TIMEZONE), and so does
gunicorn's master (vssid_portal/gunicorn_conf.py), which loads no settings. No Django import here."""

TIME_ZONE = "Asia/Ho_Chi_Minh"
