-- Attempts at a password are counted by kind: logins and the unlocks of
-- share links each have their own limits, so that guessing a link's
-- password does not lock a colleague behind the same address out of
-- logging in. A row counts from before its password is checked; one that
-- succeeds is deleted.
ALTER TABLE login_failures ADD COLUMN kind text NOT NULL DEFAULT 'login' CHECK (kind IN ('login', 'share'));
UPDATE login_failures SET kind = 'share' WHERE username LIKE 'share:%';
DROP INDEX login_failures_user;
DROP INDEX login_failures_address;
CREATE INDEX login_failures_key ON login_failures (kind, username, at);
CREATE INDEX login_failures_address ON login_failures (kind, address, at);

-- A share link that shows the prices of parcels not on offer (sensitive)
-- records that its maker confirmed it; the audit log shows the row.
ALTER TABLE share_links ADD COLUMN confirm_unoffered_prices boolean NOT NULL DEFAULT false;
