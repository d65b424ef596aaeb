-- Extractions (issue 18): the text an editor gave POST /extractions, kept beside the source that the extraction
-- recorded (one each: the source's id is the extraction's), with what was read from it: the drafts made (their
-- donation ids, the sentence each quotes and the words each field came from) and the sentences left unresolved, as
-- JSON. A reviewer reads a draft's quote in its text. An extraction is written once and never changed. Nothing that
-- exists changes.
CREATE TABLE extractions (
    source_id   bigint PRIMARY KEY REFERENCES sources (id),
    text        text NOT NULL CHECK (length(text) > 0),
    reading     text NOT NULL,
    created_at  text COLLATE "C" NOT NULL,
    created_by  text COLLATE "C" NOT NULL,
    request_id  text COLLATE "C"
);
