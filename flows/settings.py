"""Every setting, declared once: environment variables with the TRADEWATCH_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

from delivery.channels import Channels, EmailChannel
from fetch.http import FetchPolicy

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def _project_file(relative: str) -> Path:
    """A default that works from any directory: here if present, else the project's own copy."""
    here = Path(relative)
    return here if here.exists() or not (PROJECT_ROOT / relative).exists() else PROJECT_ROOT / relative


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADEWATCH_", extra="ignore")

    db: Path = Field(Path("data/tradewatch.duckdb"), description="The DuckDB warehouse file.")
    seeds: Path = Field(
        default_factory=lambda: _project_file("seeds"),
        description="Folder of seed articles (*.txt in seed format, *.html pages).",
    )
    sources: Path = Field(
        default_factory=lambda: _project_file("seeds/sources.toml"),
        description="The source registry (feeds and listing pages).",
    )
    watch: Path = Field(
        default_factory=lambda: _project_file("seeds/watch.toml"),
        description="The watch profile: parties, people, places, vocabulary.",
    )
    data_dir: Path = Field(Path("data"), description="Where digests and other outputs are written.")
    smtp_host: str | None = Field(None, description="SMTP server for email digests; unset: no email.")
    smtp_port: int = Field(587, description="SMTP port.")
    smtp_username: str | None = Field(None, description="SMTP user name, if the server wants one.")
    smtp_password: SecretStr | None = Field(None, description="SMTP password (secret: never logged or stored).")
    smtp_security: Literal["starttls", "ssl", "none"] = Field("starttls", description="starttls | ssl | none.")
    email_from: str | None = Field(None, description="Sender address of email digests.")
    email_to: str | None = Field(None, description="Recipients of email digests, comma-separated.")
    slack_webhook_url: SecretStr | None = Field(
        None, description="Slack incoming-webhook URL (secret: never logged or stored); unset: no Slack."
    )
    smtp_timeout_s: float = Field(30.0, description="How long to wait for the SMTP server, in seconds.")
    smtp_ca_file: Path | None = Field(
        None, description="CA bundle to trust for the SMTP server's certificate (a private CA); unset: the system's."
    )
    delivery_retries: int = Field(3, description="Retries per delivery within a run (later runs retry too).")
    delivery_backoff_s: float = Field(
        2.0, description="First wait between delivery retries, in seconds; doubles each time, with jitter."
    )
    fetch_connect_timeout_s: float = Field(10.0, description="How long to wait for a source to accept a connection.")
    fetch_read_timeout_s: float = Field(30.0, description="How long to wait for a source's data, in seconds.")
    fetch_max_bytes: int = Field(5 * 1024 * 1024, description="Largest response read from a source, in bytes.")
    fetch_retries: int = Field(2, description="Retries of a source that times out or answers 429/5xx, within a run.")
    fetch_host_delay_s: float = Field(1.0, description="Pause between two requests to the same host, in seconds.")
    lock_wait_s: float = Field(
        600.0, description="How long a run waits for another run to release the warehouse, in seconds."
    )
    schedule_cron: str = Field(
        "*/30 * * * *",
        description="When `tradewatch serve` runs the pipeline (cron; e.g. `*/30 6-22 * * *` for quiet nights).",
    )
    schedule_timezone: str = Field("Asia/Ho_Chi_Minh", description="The time zone of the schedule.")
    extract_batch_size: int = Field(200, description="Articles extracted per committed batch.")
    sql_max_rows: int = Field(10_000, description="Most rows `tradewatch sql` returns.")
    sql_timeout_s: float = Field(30.0, description="Longest time `tradewatch sql` lets a query run, in seconds.")

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in (self.email_to or "").split(",") if a.strip()]

    def fetch_policy(self) -> FetchPolicy:
        return FetchPolicy(
            connect_timeout_s=self.fetch_connect_timeout_s,
            read_timeout_s=self.fetch_read_timeout_s,
            max_bytes=self.fetch_max_bytes,
            retries=self.fetch_retries,
            per_host_delay_s=self.fetch_host_delay_s,
        )

    def channels(self) -> Channels:
        """The delivery channels these settings configure, and why the others are off."""
        missing = {}
        email = None
        if self.smtp_host and self.email_from and self.recipients:
            email = EmailChannel(
                host=self.smtp_host,
                port=self.smtp_port,
                security=self.smtp_security,
                sender=self.email_from,
                recipients=tuple(self.recipients),
                username=self.smtp_username,
                password=self.smtp_password.get_secret_value() if self.smtp_password else None,
                timeout_s=self.smtp_timeout_s,
                ca_file=self.smtp_ca_file,
            )
        else:
            unset = [
                n
                for n, v in (
                    ("SMTP_HOST", self.smtp_host),
                    ("EMAIL_FROM", self.email_from),
                    ("EMAIL_TO", self.email_to),
                )
                if not v
            ]
            missing["email"] = "not configured: " + ", ".join(f"TRADEWATCH_{n}" for n in unset) + " unset"
        slack = self.slack_webhook_url.get_secret_value() if self.slack_webhook_url else None
        if not slack:
            missing["slack"] = "not configured: TRADEWATCH_SLACK_WEBHOOK_URL unset"
        return Channels(
            email=email,
            slack_webhook=slack,
            not_configured=missing,
            retries=self.delivery_retries,
            backoff_s=self.delivery_backoff_s,
        )
