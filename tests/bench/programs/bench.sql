-- bench.sql: the SQLite shell benchmark: build a database of N rows in a file, index it, query it.
-- (programs.sh runs: sqlite3 DATA/bench.db ".read DATA/bench.sql")
PRAGMA page_size = 4096;
PRAGMA cache_size = 200;
PRAGMA temp_store = MEMORY; -- index builds sort in memory: WASI engines have no temp folder
CREATE TABLE t(a INTEGER PRIMARY KEY, b INTEGER, c TEXT, d REAL);
BEGIN;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
INSERT INTO t SELECT i, (i * 7919) % 10007, printf('row-%08d-%x', i, i * 2654435761 % 4294967296), i / 7.0 FROM n;
COMMIT;
CREATE INDEX t_b ON t(b);
CREATE INDEX t_c ON t(c);
SELECT count(*), sum(b), min(c), max(c), round(sum(d), 3) FROM t;
SELECT b, count(*) AS k FROM t GROUP BY b ORDER BY k DESC, b LIMIT 5;
SELECT count(*), sum(t1.a % 1000) FROM t AS t1 JOIN t AS t2 ON t1.b = t2.a WHERE t2.b < 500;
SELECT substr(c, 5, 4), count(*) FROM t WHERE c LIKE 'row-0001%' GROUP BY 1 ORDER BY 1 LIMIT 5;
UPDATE t SET d = d * 2 WHERE b % 3 = 0;
DELETE FROM t WHERE b % 5 = 0;
SELECT count(*), round(sum(d), 3), total(length(c)) FROM t;
