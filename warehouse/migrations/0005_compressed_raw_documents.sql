-- Raw pages are mostly site chrome: a backfill keeps them deflated (zlib), about a fifth of their
-- size. `identity`: `content` is the bytes as fetched; `deflate`: zlib.decompress(content) is.

ALTER TABLE raw_document ADD COLUMN content_encoding VARCHAR NOT NULL DEFAULT 'identity';
