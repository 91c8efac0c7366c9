-- An article's key, `url`, is its canonical URL: https, without www./m., tracking parameters or
-- AMP suffixes. Right for identity (ten sightings of one story are one article), but not always
-- an address that opens: http://127.0.0.1:8000/a/1.html became https://127.0.0.1:8000/a/1.html.
-- `page_url` is the address the article's page was fetched from (after redirects): what a digest
-- links to. NULL for seed files and backfilled records, whose `url` is the address given.

ALTER TABLE article ADD COLUMN page_url VARCHAR;

-- Articles fetched before this migration: the link their feed gave, which is what was fetched; the
-- page's own address (its canonical form is the key) rather than a copy's, such as an AMP page's.
UPDATE article SET page_url = f.fetched
FROM (
    SELECT i.article_id, coalesce(i.raw_link, i.link) AS fetched
    FROM feed_item i JOIN article a ON a.article_id = i.article_id
    WHERE i.page_status = 'fetched' AND a.url LIKE 'http%'
    QUALIFY row_number() OVER (PARTITION BY i.article_id ORDER BY i.item_key <> a.url, i.first_seen_at, i.item_key) = 1
) f
WHERE article.article_id = f.article_id;

CREATE OR REPLACE VIEW articles AS
SELECT a.article_id, a.url, a.source_id, a.title, a.language, a.published, a.relevant, a.duplicate_of,
       a.duplicate_kind, a.similarity, a.content_hash, a.first_seen_at, a.updated_at, a.run_id, a.extracted_at,
       (SELECT count(*) FROM article_sighting s WHERE s.article_id = a.article_id) AS sighting_count,
       length(a.body) AS body_chars, a.body,
       coalesce(a.page_url, a.url) AS page_url
FROM article a;

CREATE OR REPLACE VIEW event_mentions AS
SELECT m.mention_id, m.event_id, m.article_id, a.url, a.source_id, a.title, a.published,
       m.kind, m.number, m.mode, m.status, m.start_date, m.end_date, m.start_text, m.end_text,
       m.location, m.vn_side, m.us_side, m.topics, m.evidence, m.position, m.from_caption,
       m.created_at, m.run_id,
       coalesce(a.page_url, a.url) AS page_url
FROM event_mention m JOIN article a USING (article_id);
