-- 0026: raw bytes as bytes on PostgreSQL (issue 13 item 1, SMTP intake on PostgreSQL). Blobs were
-- base64 TEXT in blobs.data and blob_chunks.data on both dialects (0008, 0010): a third more bytes
-- through the connection, the WAL and TOAST, an encode per mail and the server's UTF-8 check of the
-- text. On PostgreSQL new blobs go into the new `bytes` column (bytea, sent as a binary parameter)
-- and `data` is ''; on SQLite they stay base64 in `data` and `bytes` stays NULL. Readers take `bytes`
-- when it is set and decode `data` otherwise, so blobs written before this migration still read.
-- dialect: postgresql
ALTER TABLE blobs ADD COLUMN bytes BYTEA;
ALTER TABLE blob_chunks ADD COLUMN bytes BYTEA;
-- TOAST compresses a value over ~2 KB: PostgreSQL's default, pglz, was a third of the server's CPU
-- at 200 KB mails (perf, docs/performance.md); lz4 (PostgreSQL 14+, when built in) costs a fraction.
DO $$ BEGIN IF EXISTS (SELECT 1 FROM pg_settings WHERE name = 'default_toast_compression' AND 'lz4' = ANY(enumvals)) THEN EXECUTE 'ALTER TABLE blobs ALTER COLUMN bytes SET COMPRESSION lz4'; EXECUTE 'ALTER TABLE blob_chunks ALTER COLUMN bytes SET COMPRESSION lz4'; END IF; END $$;
-- dialect: sqlite
ALTER TABLE blobs ADD COLUMN bytes BLOB;
ALTER TABLE blob_chunks ADD COLUMN bytes BLOB;
-- dialect: all
