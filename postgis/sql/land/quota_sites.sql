-- The sites counted in the construction-land quotas (land/quotas.go): for
-- every project with a site that is not withdrawn, each district its site
-- lies in, with the ellipsoidal area of the part in that district, whether
-- it is allocated (approved: its land step 土地出让合同签订 is finished, or
-- it is under construction or in operation) or reserved (in the pipeline:
-- 储备 or 前期 without land), and the year it counts in: an approved
-- site in the year its land step finished, else the year construction
-- started (else planned to start, else this year); a pipeline site in the
-- year it is planned to start, and never before this year. The function
-- zones lie inside the counties: land in a zone counts in the zone, not
-- in the county around it.
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
    SELECT c.*,
           CASE WHEN approved
                THEN extract(year FROM coalesce(land_done, actual_start, planned_start, current_date))
                ELSE greatest(extract(year FROM coalesce(planned_start, current_date)), extract(year FROM current_date))
           END::int AS year
      FROM counted c
)
SELECT district_id, id, name, stage, approved, year, area_m2
  FROM (SELECT d.id AS district_id, c.id, c.name, c.stage, c.approved, c.year,
               CASE WHEN z.geom IS NOT NULL
                    THEN onemap_area_m2(ST_Difference(ST_Intersection(c.site, d.geom), z.geom))
                    WHEN ST_CoveredBy(c.site, d.geom) THEN c.site_area_m2
                    ELSE onemap_area_m2(ST_Intersection(c.site, d.geom)) END AS area_m2
          FROM dated c
          JOIN districts d ON ST_Intersects(c.site, d.geom)
          -- In a county, the function zones (经开区, 示范区, 西城区) that
          -- lie in it and under the site: their land is theirs.
          LEFT JOIN LATERAL (SELECT ST_Union(x.geom) AS geom FROM districts x
                              WHERE d.kind = 'county' AND x.kind = 'zone' AND ST_Intersects(x.geom, c.site)
                                AND ST_Intersects(x.geom, d.geom)
                             HAVING count(*) > 0) z ON true
         WHERE ($1::int IS NULL OR c.year = $1) AND ($2::smallint IS NULL OR d.id = $2)) parts
 WHERE area_m2 > 0
 ORDER BY district_id, approved DESC, id
