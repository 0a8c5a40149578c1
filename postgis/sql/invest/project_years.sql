-- The figures of year $1 of every key project the reader may see, by id:
-- the enclave its point lies in (0: none; the first by id on a border of
-- two), its investment (the sum of its monthly reports of the year), and
-- the value added and tax entered for it, in 万元.
SELECT p.id, p.name, p.district_id,
       coalesce((SELECT e.id FROM enclaves e WHERE ST_Covers(e.geom, p.point) ORDER BY e.id LIMIT 1), 0),
       coalesce((SELECT sum(g.invested) FROM project_progress g
                  WHERE g.project_id = p.id AND g.month >= make_date($1, 1, 1) AND g.month < make_date($1 + 1, 1, 1)), 0)::text,
       coalesce(f.value_added, 0)::text, coalesce(f.tax, 0)::text
  FROM projects p
  LEFT JOIN project_figures f ON f.project_id = p.id AND f.year = $1
 ORDER BY p.id
