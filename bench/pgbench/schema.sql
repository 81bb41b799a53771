-- The booking transaction without the web stack: 50 session rows, a booking table.
-- Capacity is effectively unlimited so every UPDATE writes (the successful-booking path).
DROP TABLE IF EXISTS bench_booking;
DROP TABLE IF EXISTS bench_session;
CREATE TABLE bench_session (id int PRIMARY KEY, capacity int NOT NULL, taken int NOT NULL DEFAULT 0,
                            CHECK (taken <= capacity));
INSERT INTO bench_session (id, capacity) SELECT g, 2000000000 FROM generate_series(1, 50) g;
CREATE TABLE bench_booking (id bigserial PRIMARY KEY,
                            session_id int NOT NULL REFERENCES bench_session (id),
                            user_ref text NOT NULL, created_at timestamptz NOT NULL DEFAULT now());
