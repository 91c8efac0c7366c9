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
