-- 007_best_of: kbench bisect --best-of K.  Each round runs every
-- revision K times and keeps the fastest, so a resumed bisection must
-- fold its stored samples the same way.
ALTER TABLE bisection ADD COLUMN best_of integer NOT NULL DEFAULT 1
    CHECK (best_of BETWEEN 1 AND 10);
