from huey.contrib.djhuey import db_task

from anju.notify.models import Notification
from anju.notify.services import deliver


@db_task(retries=3, retry_delay=60)
def deliver_notification(notification_id: int) -> None:
    notification = Notification.objects.filter(pk=notification_id, status=Notification.Status.PENDING).first()
    if notification is not None:
        deliver(notification)
