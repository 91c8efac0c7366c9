-- Events are resolved again from all their mentions whenever new ones arrive (warehouse/merge.py).
-- An event found to be another one (two partial reports that turn out to be one session) is
-- retired into it: recorded here, and removed from `event`; the survivor keeps its announcement.
CREATE TABLE event_retired (
    event_id          VARCHAR PRIMARY KEY,
    merged_into       VARCHAR,                   -- the event that took most of its mentions
    run_id            VARCHAR NOT NULL,
    retired_at        TIMESTAMPTZ NOT NULL
);

-- A page may give only the month it was published (a ` date 2025-06 ` marker): the month gives the
-- years of its dates, but no day to resolve "on Friday" against (so `published` stays NULL).
ALTER TABLE article ADD COLUMN published_month VARCHAR;      -- 'YYYY-MM' when only the month is known

-- A mention with nothing to place it (no number, no date, an undated article) that could be one
-- of several events is left unresolved rather than guessed; it is looked at again whenever new
-- mentions arrive.
ALTER TABLE event_mention ADD COLUMN unresolved BOOLEAN DEFAULT false;

-- An event that rests only on mentions nothing places (no number, no date, an undated article):
-- the next articles may show it to be an event already known (see warehouse/merge.py).
ALTER TABLE event ADD COLUMN tentative BOOLEAN DEFAULT false;

CREATE OR REPLACE VIEW events AS
SELECT e.event_id, e.kind, e.number, e.mode, e.status, e.start_date, e.end_date, e.start_text, e.end_text,
       e.location, e.vn_side, e.us_side, e.topics, e.conflicts,
       coalesce(c.mention_count, 0) AS mention_count,
       coalesce(c.article_count, 0) AS article_count,
       coalesce(s.source_count, 0) AS source_count,
       e.first_seen_at, coalesce(c.last_seen_at, e.first_seen_at) AS last_seen_at,
       e.updated_at, e.first_run_id, e.updated_run_id, e.digest_id, e.tentative
FROM event e
LEFT JOIN (
    SELECT m.event_id, count(*) AS mention_count, count(DISTINCT m.article_id) AS article_count,
           max(m.created_at) AS last_seen_at
    FROM event_mention m GROUP BY m.event_id
) c USING (event_id)
LEFT JOIN (
    -- every outlet that carried a copy of an article that reports the event
    SELECT m.event_id, count(DISTINCT coalesce(g.source_id, '?')) AS source_count
    FROM event_mention m JOIN article_sighting g ON g.article_id = m.article_id
    GROUP BY m.event_id
) s USING (event_id);

-- What the events were last resolved from (a hash of the mentions and their articles' dates):
-- resolution runs again when that changes, and only then.
CREATE TABLE event_resolution (
    signature         VARCHAR NOT NULL,
    run_id            VARCHAR NOT NULL,
    resolved_at       TIMESTAMPTZ NOT NULL
);
