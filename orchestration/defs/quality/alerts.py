"""Exception alerts: POST each new open data exception to the webhook configured in the environment."""

from pathlib import Path

from expectations.exceptions import send_pending_alerts, webhook_url
from orchestration import clock
from orchestration.raw import connect


def send_alerts(warehouse: Path) -> int:
    """Send pending alerts when `PLANTSYNC_ALERT_WEBHOOK` is set; return how many were delivered."""
    url = webhook_url()
    if not url:
        return 0
    con = connect(warehouse)
    try:
        return send_pending_alerts(con, url, clock.now())
    finally:
        con.close()
