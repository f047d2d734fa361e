"""Notifications: follows, immediate mail or a daily digest, and unsubscribing."""


def init_app(app):
    from participatie.core.notifications.views import bp
    from participatie.core.notifications.views import NotificationForm

    app.register_blueprint(bp)

    @app.context_processor
    def notification_form():
        def make(user):
            return NotificationForm(formdata=None, notify_mode=user.notify_mode)

        return {"notification_form": make}
