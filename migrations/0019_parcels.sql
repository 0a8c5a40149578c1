-- Parks and parcels kept in the web app (issue 17): their versions for
-- If-Match, a park's 七通一平, policies and investment contact, and the
-- dated history of the parcels' supply status.
ALTER TABLE parks
    ADD COLUMN utilities     text[] NOT NULL DEFAULT '{}'
        CHECK (utilities <@ ARRAY['road', 'power', 'water', 'telecom', 'drainage', 'gas', 'heat', 'levelled']),
    ADD COLUMN policies      text,
    ADD COLUMN contact_name  text,
    ADD COLUMN contact_phone text,
    ADD COLUMN version       integer NOT NULL DEFAULT 1,
    ADD COLUMN updated_at    timestamptz NOT NULL DEFAULT now();

ALTER TABLE parcels
    ADD COLUMN version    integer NOT NULL DEFAULT 1,
    ADD COLUMN updated_at timestamptz NOT NULL DEFAULT now();

-- A parcel's supply status changes: from (NULL: a new parcel), to, the
-- day it took effect and why, by whom.
CREATE TABLE parcel_supply (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parcel_id   bigint NOT NULL REFERENCES parcels ON DELETE CASCADE,
    from_status text CHECK (from_status IN ('planned', 'acquired', 'ready', 'reserved', 'supplied')),
    to_status   text NOT NULL CHECK (to_status IN ('planned', 'acquired', 'ready', 'reserved', 'supplied')),
    changed_on  date NOT NULL,
    reason      text,
    actor       text NOT NULL,
    at          timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX parcel_supply_parcel ON parcel_supply (parcel_id, id);
GRANT SELECT, INSERT ON parcel_supply TO onemap_app;
