-- Firm targeting (精准招商, issue 17): a target firm's person responsible
-- and version (edits are checked with If-Match, as projects' are); its
-- stage history with the city (接洽 → 洽谈 → 签约 → 落地: who moved it,
-- when, with what note); and the industry chains of the parks, whose links
-- the investment team marks 强链 (strengthen), 补链 (fill: a missing link)
-- or 延链 (extend).

ALTER TABLE firms
    ADD COLUMN responsible text NOT NULL DEFAULT '' CHECK (char_length(responsible) <= 100),
    ADD COLUMN version     integer NOT NULL DEFAULT 1,
    ADD COLUMN updated_at  timestamptz NOT NULL DEFAULT now();
CREATE INDEX firms_industries ON firms USING gin (industries);

CREATE TABLE firm_stages (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    firm_id     integer NOT NULL REFERENCES firms ON DELETE CASCADE,
    from_stage  text CHECK (from_stage IN ('contact', 'negotiating', 'signed', 'landed')),
    to_stage    text NOT NULL CHECK (to_stage IN ('contact', 'negotiating', 'signed', 'landed')),
    note        text NOT NULL DEFAULT '' CHECK (char_length(note) <= 500),
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX firm_stages_firm ON firm_stages (firm_id, at);
-- The firms kept before the history was: their stage as they stand.
INSERT INTO firm_stages (firm_id, to_stage, note, actor)
SELECT id, stage, '启用对接记录时的阶段', 'migration' FROM firms;

-- A park's industry chains (产业链), e.g. 食品产业链, each with its links
-- in chain order.
CREATE TABLE industry_chains (
    id       integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    park_id  integer NOT NULL REFERENCES parks ON DELETE CASCADE,
    name     text NOT NULL CHECK (name <> '' AND char_length(name) <= 100),
    UNIQUE (park_id, name)
);

CREATE TABLE chain_links (
    chain_id  integer NOT NULL REFERENCES industry_chains ON DELETE CASCADE,
    position  smallint NOT NULL CHECK (position > 0),
    industry  text NOT NULL CHECK (industry <> '' AND char_length(industry) <= 100),
    mark      text NOT NULL CHECK (mark IN ('strengthen', 'fill', 'extend')),
    PRIMARY KEY (chain_id, position),
    UNIQUE (chain_id, industry)
);

GRANT SELECT, INSERT ON firm_stages TO onemap_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON industry_chains, chain_links TO onemap_app;
GRANT USAGE ON SEQUENCE firm_stages_id_seq, industry_chains_id_seq TO onemap_app;
