-- Digests carry their data (to render any channel, now or on --resend), events remember what was
-- last announced (so a material update is announced once), deliveries form an outbox.

ALTER TABLE digest_log ADD COLUMN payload VARCHAR;           -- the digest as JSON
ALTER TABLE digest_log ADD COLUMN updated_event_ids VARCHAR[];
ALTER TABLE event ADD COLUMN announced_facts VARCHAR;        -- JSON of the facts last announced
ALTER TABLE event ADD COLUMN announced_at TIMESTAMPTZ;

CREATE OR REPLACE VIEW digests AS
SELECT digest_id, run_id, created_at, event_ids, len(event_ids) AS event_count,
       coalesce(updated_event_ids, []::VARCHAR[]) AS updated_event_ids,
       len(event_ids) - len(coalesce(updated_event_ids, []::VARCHAR[])) AS new_event_count,
       path, markdown
FROM digest_log;
