"""Every setting, declared once: environment variables with the TRADEWATCH_ prefix."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADEWATCH_", extra="ignore")

    db: Path = Field(Path("data/tradewatch.duckdb"), description="The DuckDB warehouse file.")
    seeds: Path = Field(Path("seeds"), description="Folder of seed articles (*.txt in seed format, *.html pages).")
    sources: Path = Field(Path("seeds/sources.toml"), description="The source registry (feeds and listing pages).")
    watch: Path = Field(Path("seeds/watch.toml"), description="The watch profile: parties, people, places, vocabulary.")
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
    sql_max_rows: int = Field(10_000, description="Most rows `tradewatch sql` returns.")
    sql_timeout_s: float = Field(30.0, description="Longest time `tradewatch sql` lets a query run, in seconds.")

    @property
    def recipients(self) -> list[str]:
        return [a.strip() for a in (self.email_to or "").split(",") if a.strip()]
