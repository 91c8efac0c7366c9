-- Live sources: per-source state (validators and health), a log of every fetch, every feed item
-- ever seen (so that none is fetched twice), and the alias URLs of articles.

ALTER TABLE source_registry ADD COLUMN item_pattern VARCHAR;

CREATE TABLE source_state (
    source_id             VARCHAR PRIMARY KEY,
    etag                  VARCHAR,
    last_modified         VARCHAR,
    final_url             VARCHAR,
    content_sha256        VARCHAR,
    last_status           INTEGER,
    last_fetch_at         TIMESTAMPTZ,
    last_success_at       TIMESTAMPTZ,
    consecutive_failures  INTEGER NOT NULL DEFAULT 0,
    last_error_code       VARCHAR,
    last_error            VARCHAR,
    newest_item_at        TIMESTAMPTZ,
    next_poll_at          TIMESTAMPTZ,
    moved_to              VARCHAR,                   -- where a permanent redirect points
    sends_validators      BOOLEAN
);

CREATE TABLE fetch_log (
    run_id        VARCHAR NOT NULL,
    source_id     VARCHAR NOT NULL,
    url           VARCHAR NOT NULL,
    fetched_at    TIMESTAMPTZ NOT NULL,
    status        INTEGER,
    bytes         INTEGER NOT NULL,
    items         INTEGER NOT NULL,
    new_items     INTEGER NOT NULL,
    candidates    INTEGER NOT NULL,
    not_modified  BOOLEAN NOT NULL,
    unchanged     BOOLEAN NOT NULL,
    error_code    VARCHAR,
    error         VARCHAR,
    attempts      INTEGER NOT NULL,
    elapsed_s     DOUBLE NOT NULL
);

CREATE TABLE feed_item (
    item_key       VARCHAR PRIMARY KEY,               -- the item's canonical link
    source_id      VARCHAR NOT NULL,
    link           VARCHAR NOT NULL,
    raw_link       VARCHAR,
    guid           VARCHAR,
    title          VARCHAR,
    summary        VARCHAR,
    published      TIMESTAMPTZ,
    published_raw  VARCHAR,
    thumbnail      VARCHAR,
    candidate      BOOLEAN NOT NULL,                  -- may concern the negotiation: fetch the page
    page_status    VARCHAR NOT NULL,                  -- pending | fetched | failed | skipped
    page_attempts  INTEGER NOT NULL DEFAULT 0,
    page_error     VARCHAR,
    article_id     VARCHAR,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL
);

CREATE TABLE article_alias (
    url            VARCHAR PRIMARY KEY,
    article_id     VARCHAR NOT NULL,
    first_seen_at  TIMESTAMPTZ NOT NULL
);

CREATE OR REPLACE VIEW sources AS
SELECT s.source_id, s.name, s.kind, s.url, s.language, s.section, s.interval_minutes, s.enabled,
       s.added_at, s.updated_at,
       (SELECT count(*) FROM article a WHERE a.source_id = s.source_id) AS articles,
       (SELECT count(*) FROM feed_item i WHERE i.source_id = s.source_id) AS items_seen,
       st.last_status, st.last_fetch_at, st.last_success_at, coalesce(st.consecutive_failures, 0) AS consecutive_failures,
       st.last_error_code, st.last_error, st.newest_item_at, st.next_poll_at, st.moved_to, st.sends_validators,
       CASE
           WHEN s.kind = 'seeds' OR NOT s.enabled THEN NULL
           WHEN st.last_error_code = 'not_a_feed' THEN 'not_a_feed'
           WHEN st.last_error_code = 'empty_feed' THEN 'empty'
           WHEN coalesce(st.consecutive_failures, 0) >= 3 THEN 'failing'
           WHEN st.newest_item_at IS NOT NULL
                AND st.newest_item_at < coalesce(st.last_success_at, now()) - INTERVAL 7 DAY THEN 'silent'
           WHEN st.last_success_at IS NOT NULL
                AND st.last_success_at < coalesce(st.last_fetch_at, now())
                    - to_minutes(CAST(greatest(s.interval_minutes, 1) * 4 AS BIGINT)) THEN 'silent'
           ELSE NULL
       END AS flag
FROM source_registry s LEFT JOIN source_state st USING (source_id);

CREATE VIEW fetches AS
SELECT run_id, source_id, url, fetched_at, status, bytes, items, new_items, candidates, not_modified, unchanged,
       error_code, error, attempts, elapsed_s
FROM fetch_log;

CREATE VIEW feed_items AS
SELECT item_key, source_id, link, guid, title, summary, published, published_raw, candidate, page_status,
       page_attempts, page_error, article_id, first_seen_at, last_seen_at, run_id
FROM feed_item;
