-- Article identity in layers: exact text (0001), near-verbatim copies (MinHash + LSH bands, checked
-- exactly), and every sighting of a story (source, URL, time), so that corroboration can be counted.

ALTER TABLE article ADD COLUMN duplicate_kind VARCHAR;        -- exact | near
ALTER TABLE article ADD COLUMN similarity DOUBLE;             -- to duplicate_of: max(Jaccard, containment)

CREATE TABLE article_fingerprint (
    article_id   VARCHAR PRIMARY KEY,
    shingles     INTEGER NOT NULL,
    signature    UBIGINT[] NOT NULL
);

CREATE TABLE article_band (
    band         SMALLINT NOT NULL,
    bucket       UBIGINT NOT NULL,
    article_id   VARCHAR NOT NULL
);
CREATE INDEX article_band_bucket ON article_band (band, bucket);

CREATE TABLE article_sighting (
    article_id     VARCHAR NOT NULL,                  -- the canonical copy
    url            VARCHAR NOT NULL,
    source_id      VARCHAR,
    first_seen_at  TIMESTAMPTZ NOT NULL,
    last_seen_at   TIMESTAMPTZ NOT NULL,
    run_id         VARCHAR NOT NULL,
    PRIMARY KEY (article_id, url)
);

INSERT INTO article_sighting
SELECT coalesce(duplicate_of, article_id), url, source_id, first_seen_at, first_seen_at, run_id FROM article;
UPDATE article SET duplicate_kind = 'exact', similarity = 1.0 WHERE duplicate_of IS NOT NULL;

CREATE VIEW sightings AS
SELECT s.article_id, s.url, s.source_id, s.first_seen_at, s.last_seen_at, s.run_id, a.title
FROM article_sighting s JOIN article a USING (article_id);

CREATE OR REPLACE VIEW articles AS
SELECT a.article_id, a.url, a.source_id, a.title, a.language, a.published, a.relevant, a.duplicate_of,
       a.duplicate_kind, a.similarity, a.content_hash, a.first_seen_at, a.updated_at, a.run_id, a.extracted_at,
       (SELECT count(*) FROM article_sighting s WHERE s.article_id = a.article_id) AS sighting_count,
       length(a.body) AS body_chars, a.body
FROM article a;

CREATE OR REPLACE VIEW events AS
SELECT e.event_id, e.kind, e.number, e.mode, e.status, e.start_date, e.end_date, e.start_text, e.end_text,
       e.location, e.vn_side, e.us_side, e.topics, e.conflicts,
       coalesce(c.mention_count, 0) AS mention_count,
       coalesce(c.article_count, 0) AS article_count,
       coalesce(s.source_count, 0) AS source_count,
       e.first_seen_at, coalesce(c.last_seen_at, e.first_seen_at) AS last_seen_at,
       e.updated_at, e.first_run_id, e.updated_run_id, e.digest_id
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
