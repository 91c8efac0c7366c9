-- The tables behind the views analysts query. Views are the stable contract; tables may grow.

CREATE TABLE runs_log (
    run_id            VARCHAR PRIMARY KEY,
    started_at        TIMESTAMPTZ NOT NULL,
    finished_at       TIMESTAMPTZ,
    status            VARCHAR NOT NULL,          -- running | succeeded | failed | abandoned
    trigger           VARCHAR,                   -- cli | schedule | test | replay
    articles_seen     INTEGER NOT NULL DEFAULT 0,
    articles_new      INTEGER NOT NULL DEFAULT 0,
    articles_updated  INTEGER NOT NULL DEFAULT 0,
    articles_duplicate INTEGER NOT NULL DEFAULT 0,
    mentions_new      INTEGER NOT NULL DEFAULT 0,
    events_new        INTEGER NOT NULL DEFAULT 0,
    events_updated    INTEGER NOT NULL DEFAULT 0,
    problems          INTEGER NOT NULL DEFAULT 0,
    digest_id         VARCHAR,
    error             VARCHAR
);

CREATE TABLE source_registry (
    source_id         VARCHAR PRIMARY KEY,
    name              VARCHAR NOT NULL,
    kind              VARCHAR NOT NULL,          -- seeds | rss | atom | html
    url               VARCHAR,
    language          VARCHAR,
    section           VARCHAR,
    interval_minutes  INTEGER,
    enabled           BOOLEAN NOT NULL DEFAULT TRUE,
    added_at          TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL
);

-- Raw input kept by content hash, so a better extractor can be re-run over history.
CREATE TABLE raw_document (
    sha256            VARCHAR PRIMARY KEY,
    media_type        VARCHAR NOT NULL,
    content           BLOB NOT NULL,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    run_id            VARCHAR NOT NULL
);

CREATE TABLE article (
    article_id        VARCHAR PRIMARY KEY,       -- hash of the canonical URL
    url               VARCHAR NOT NULL UNIQUE,
    source_id         VARCHAR,
    title             VARCHAR,
    body              VARCHAR NOT NULL,
    language          VARCHAR,
    published         DATE,
    content_hash      VARCHAR NOT NULL,          -- exact fingerprint of the normalised text
    raw_sha256        VARCHAR,
    relevant          BOOLEAN,
    duplicate_of      VARCHAR,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    run_id            VARCHAR NOT NULL,
    extracted_at      TIMESTAMPTZ,               -- NULL: waiting for extraction
    extractor_version VARCHAR
);

CREATE TABLE event (
    event_id          VARCHAR PRIMARY KEY,
    kind              VARCHAR NOT NULL,
    number            INTEGER,
    mode              VARCHAR,
    status            VARCHAR NOT NULL,
    start_date        DATE,
    end_date          DATE,
    start_text        VARCHAR,                   -- as precise as known: 2025-11-12 or --11-12
    end_text          VARCHAR,
    location          VARCHAR,
    vn_side           VARCHAR[] NOT NULL,
    us_side           VARCHAR[] NOT NULL,
    topics            VARCHAR[] NOT NULL,
    conflicts         VARCHAR[] NOT NULL,
    first_seen_at     TIMESTAMPTZ NOT NULL,
    updated_at        TIMESTAMPTZ NOT NULL,
    first_run_id      VARCHAR NOT NULL,
    updated_run_id    VARCHAR NOT NULL,
    digest_id         VARCHAR                    -- the digest that announced it; NULL: not yet
);

CREATE TABLE event_mention (
    mention_id        VARCHAR PRIMARY KEY,       -- hash of (article, extractor version, ordinal)
    article_id        VARCHAR NOT NULL,
    ordinal           INTEGER NOT NULL,
    event_id          VARCHAR,                   -- NULL: waiting to be merged
    kind              VARCHAR NOT NULL,
    number            INTEGER,
    mode              VARCHAR,
    status            VARCHAR NOT NULL,
    start_date        DATE,
    end_date          DATE,
    start_text        VARCHAR,
    end_text          VARCHAR,
    location          VARCHAR,
    vn_side           VARCHAR[] NOT NULL,
    us_side           VARCHAR[] NOT NULL,
    topics            VARCHAR[] NOT NULL,
    evidence          VARCHAR NOT NULL,
    position          INTEGER NOT NULL,
    from_caption      BOOLEAN NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    run_id            VARCHAR NOT NULL
);

CREATE TABLE digest_log (
    digest_id         VARCHAR PRIMARY KEY,
    run_id            VARCHAR NOT NULL,
    created_at        TIMESTAMPTZ NOT NULL,
    event_ids         VARCHAR[] NOT NULL,
    markdown          VARCHAR NOT NULL,
    path              VARCHAR
);

CREATE TABLE delivery_log (
    digest_id         VARCHAR NOT NULL,
    channel           VARCHAR NOT NULL,          -- file | email | slack
    status            VARCHAR NOT NULL,          -- pending | sent | failed | skipped
    attempts          INTEGER NOT NULL DEFAULT 0,
    last_error        VARCHAR,
    target            VARCHAR,                   -- where it went (never a secret)
    first_attempt_at  TIMESTAMPTZ,
    last_attempt_at   TIMESTAMPTZ,
    sent_at           TIMESTAMPTZ,
    PRIMARY KEY (digest_id, channel)
);

CREATE TABLE run_problem (
    run_id            VARCHAR NOT NULL,
    source_id         VARCHAR,
    subject           VARCHAR,                   -- a file, a URL
    code              VARCHAR NOT NULL,
    message           VARCHAR NOT NULL,
    recorded_at       TIMESTAMPTZ NOT NULL
);

-- The views: the contract with analysts (documented in the README).

CREATE VIEW runs AS
SELECT run_id, started_at, finished_at, status, trigger, articles_seen, articles_new, articles_updated,
       articles_duplicate, mentions_new, events_new, events_updated, problems, digest_id, error,
       date_diff('millisecond', started_at, finished_at) / 1000.0 AS duration_s
FROM runs_log;

CREATE VIEW sources AS
SELECT s.source_id, s.name, s.kind, s.url, s.language, s.section, s.interval_minutes, s.enabled,
       s.added_at, s.updated_at,
       (SELECT count(*) FROM article a WHERE a.source_id = s.source_id) AS articles
FROM source_registry s;

CREATE VIEW articles AS
SELECT article_id, url, source_id, title, language, published, relevant, duplicate_of, content_hash,
       first_seen_at, updated_at, run_id, extracted_at, length(body) AS body_chars, body
FROM article;

CREATE VIEW event_mentions AS
SELECT m.mention_id, m.event_id, m.article_id, a.url, a.source_id, a.title, a.published,
       m.kind, m.number, m.mode, m.status, m.start_date, m.end_date, m.start_text, m.end_text,
       m.location, m.vn_side, m.us_side, m.topics, m.evidence, m.position, m.from_caption,
       m.created_at, m.run_id
FROM event_mention m JOIN article a USING (article_id);

CREATE VIEW events AS
SELECT e.event_id, e.kind, e.number, e.mode, e.status, e.start_date, e.end_date, e.start_text, e.end_text,
       e.location, e.vn_side, e.us_side, e.topics, e.conflicts,
       coalesce(c.mention_count, 0) AS mention_count,
       coalesce(c.article_count, 0) AS article_count,
       coalesce(c.source_count, 0) AS source_count,
       e.first_seen_at, coalesce(c.last_seen_at, e.first_seen_at) AS last_seen_at,
       e.updated_at, e.first_run_id, e.updated_run_id, e.digest_id
FROM event e
LEFT JOIN (
    SELECT m.event_id, count(*) AS mention_count, count(DISTINCT m.article_id) AS article_count,
           count(DISTINCT a.source_id) AS source_count, max(m.created_at) AS last_seen_at
    FROM event_mention m JOIN article a USING (article_id)
    GROUP BY m.event_id
) c USING (event_id);

CREATE VIEW digests AS
SELECT digest_id, run_id, created_at, event_ids, len(event_ids) AS event_count, path, markdown
FROM digest_log;

CREATE VIEW deliveries AS
SELECT digest_id, channel, status, attempts, last_error, target, first_attempt_at, last_attempt_at, sent_at
FROM delivery_log;
