-- The sites counted in the construction-land quotas (land/quotas.go): for
-- every project with a site that is not withdrawn, each district whose
-- quota the site counts in, with the ellipsoidal area of the part counted
-- there, whether it is allocated (approved: its land step 土地出让合同签订
-- is finished, or it is under construction or in operation) or reserved
-- (in the pipeline: 储备 or 前期 without land), and the year it counts in:
-- an approved site in the year its land step finished, else the year
-- construction started (else planned to start, else this year); a
-- pipeline site in the year it is planned to start, and never before
-- this year.
-- Each piece of land counts once, in one district:
--   - land in an enclave (飞地) counts in the quota of the enclave's
--     quota_district_id (its agreement says whose land quota is used:
--     the home district's or the host's), not in the district it lies
--     in; its row names the enclave (enclaves share no more than a
--     border, invest/enclaves.go);
--   - the rest counts in the district it lies in; the function zones lie
--     inside the counties: land in a zone counts in the zone, not in the
--     county around it.
-- $1 the year (NULL: every year), $2 a district (NULL: every district),
-- $3 a project (NULL: every project the principal may see).
WITH counted AS (
    SELECT p.id, p.name, p.stage, p.site, p.site_area_m2,
           l.finished IS NOT NULL OR p.stage IN ('building', 'operating') AS approved,
           l.finished AS land_done, p.actual_start, p.planned_start
      FROM projects p
      LEFT JOIN project_approval_steps l ON l.project_id = p.id AND l.step = 'land'
     WHERE p.site IS NOT NULL AND p.stage <> 'withdrawn' AND ($3::bigint IS NULL OR p.id = $3)
), dated AS (
    SELECT *
      FROM (SELECT c.*,
                   CASE WHEN approved
                        THEN extract(year FROM coalesce(land_done, actual_start, planned_start, current_date))
                        ELSE greatest(extract(year FROM coalesce(planned_start, current_date)), extract(year FROM current_date))
                   END::int AS year
              FROM counted c) c
     WHERE $1::int IS NULL OR year = $1
), outside AS (
    -- Each site's land outside every enclave (the site itself when no
    -- enclave lies under it).
    SELECT c.*, coalesce(ST_Difference(c.site, e.geom), c.site) AS rest, e.geom IS NULL AS whole
      FROM dated c
      LEFT JOIN LATERAL (SELECT ST_Union(e.geom) AS geom FROM enclaves e
                          WHERE ST_Intersects(e.geom, c.site)
                         HAVING count(*) > 0) e ON true
)
SELECT district_id, id, name, stage, approved, year, area_m2, enclave_id, enclave
  FROM (SELECT d.id AS district_id, c.id, c.name, c.stage, c.approved, c.year,
               CASE WHEN z.geom IS NOT NULL
                    THEN onemap_area_m2(ST_Difference(ST_Intersection(c.rest, d.geom), z.geom))
                    WHEN c.whole AND ST_CoveredBy(c.site, d.geom) THEN c.site_area_m2
                    ELSE onemap_area_m2(ST_Intersection(c.rest, d.geom)) END AS area_m2,
               NULL::integer AS enclave_id, NULL::text AS enclave
          FROM outside c
          JOIN districts d ON ST_Intersects(c.rest, d.geom)
          -- In a county, the function zones (经开区, 示范区, 西城区) that
          -- lie in it and under the site: their land is theirs.
          LEFT JOIN LATERAL (SELECT ST_Union(x.geom) AS geom FROM districts x
                              WHERE d.kind = 'county' AND x.kind = 'zone' AND ST_Intersects(x.geom, c.rest)
                                AND ST_Intersects(x.geom, d.geom)
                             HAVING count(*) > 0) z ON true
         WHERE $2::smallint IS NULL OR d.id = $2
        UNION ALL
        -- The land of a site in an enclave: in the quota of the enclave's
        -- quota district.
        SELECT e.quota_district_id, c.id, c.name, c.stage, c.approved, c.year,
               onemap_area_m2(ST_Intersection(c.site, e.geom)), e.id, e.name
          FROM dated c
          JOIN enclaves e ON ST_Intersects(e.geom, c.site)
         WHERE $2::smallint IS NULL OR e.quota_district_id = $2) parts
 WHERE area_m2 > 0
 ORDER BY district_id, approved DESC, id, enclave_id NULLS FIRST
