-- 0010: large blobs in the database in chunks (issue 9, statement import speed): a 100 MB statement
-- file is written and read 1 MiB at a time instead of as one value, so neither duegate nor the
-- database holds it whole. blobs.chunks = 0: the bytes are in blobs.data (as before); N > 0: they
-- are in blob_chunks rows 0..N-1 (each base64 of up to 1 MiB) and blobs.data is ''. A blob row is
-- written after its chunks, in the same transaction, so a blob that exists is complete.

CREATE TABLE blob_chunks (
    sha256 TEXT NOT NULL,                         -- the blob's content address; not tenant data
    seq BIGINT NOT NULL,                          -- 0, 1, ... in file order
    data TEXT NOT NULL,                           -- base64 of up to 1 MiB of the bytes
    PRIMARY KEY (sha256, seq)
);

ALTER TABLE blobs ADD COLUMN chunks BIGINT NOT NULL DEFAULT 0;
