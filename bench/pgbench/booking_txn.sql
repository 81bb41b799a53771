-- One booking: a conditional one-row UPDATE of a random session's counter plus an INSERT.
\set sid random(1, 50)
\set u random(1, 1000000000)
BEGIN;
UPDATE bench_session SET taken = taken + 1 WHERE id = :sid AND taken + 1 <= capacity;
INSERT INTO bench_booking (session_id, user_ref) VALUES (:sid, 'u' || :u);
COMMIT;
