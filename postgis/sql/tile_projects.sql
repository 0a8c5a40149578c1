-- projects: points below zoom 13; from zoom 13 the sites as well.
-- @xmin..@ymax: tile bound with buffer (lon/lat), @zoom: zoom,
-- @stage stages, @category categories, @district district codes, @leader leaders,
-- @warning_level warning levels (none assessed: green), @started and
-- @finished the years of the actual start and finish (NULL: any).
-- invested (本年完成投资) sums the reports of this year only, in the city's
-- time zone (the pool's TimeZone). warning_level is the level the
-- service last assessed (project.Assess); overdue_blockers counts the
-- blockers past their due date and not resolved (project.Overdue);
-- verdict the latest compliance verdict (project_verdicts; NULL: none),
-- verdict_stale true while it is being checked again (NULL: it is not).
WITH p AS NOT MATERIALIZED (
    SELECT p.id, p.point, p.site, p.code, p.name, p.stage, p.category, p.district_id::int AS district_id,
           d.name AS district, p.leader, p.responsible_unit, p.owner,
           p.total_investment::float8 AS total_investment, p.annual_plan::float8 AS annual_plan,
           (SELECT sum(pp.invested) FROM project_progress pp
             WHERE pp.project_id = p.id AND pp.month >= date_trunc('year', current_date)
               AND pp.month < date_trunc('year', current_date) + interval '1 year')::float8 AS invested,
           p.planned_start::text AS planned_start, p.planned_finish::text AS planned_finish,
           p.actual_start::text AS actual_start,
           (SELECT w.level FROM project_warnings w WHERE w.project_id = p.id) AS warning_level,
           (SELECT count(*) FROM project_blockers b
             WHERE b.project_id = p.id AND b.status <> 'resolved' AND b.due_on < current_date)::int AS overdue_blockers,
           (SELECT v.verdict FROM project_verdicts v WHERE v.project_id = p.id) AS verdict,
           (SELECT true FROM project_verdicts v WHERE v.project_id = p.id AND v.stale) AS verdict_stale
      FROM projects p
      JOIN districts d ON d.id = p.district_id
     WHERE (@stage::text[] IS NULL OR p.stage = ANY (@stage))
       AND (@category::text[] IS NULL OR p.category = ANY (@category))
       AND (@district::text[] IS NULL OR d.code = ANY (@district))
       AND (@leader::text[] IS NULL OR p.leader = ANY (@leader))
       AND (@warning_level::text[] IS NULL
            OR coalesce((SELECT w.level FROM project_warnings w WHERE w.project_id = p.id), 'green') = ANY (@warning_level))
       AND (@started::text[] IS NULL OR to_char(p.actual_start, 'YYYY') = ANY (@started))
       AND (@finished::text[] IS NULL OR to_char(p.actual_finish, 'YYYY') = ANY (@finished))
)
SELECT id, ST_AsBinary(site) AS geom, code, name, stage, category, district_id, district, leader,
       responsible_unit, owner, total_investment, annual_plan, invested, planned_start, planned_finish,
       actual_start, warning_level, overdue_blockers, verdict, verdict_stale, 'site' AS geom_kind
  FROM p
 WHERE @zoom >= 13 AND site && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
UNION ALL
SELECT id, ST_AsBinary(point), code, name, stage, category, district_id, district, leader,
       responsible_unit, owner, total_investment, annual_plan, invested, planned_start, planned_finish,
       actual_start, warning_level, overdue_blockers, verdict, verdict_stale, 'point'
  FROM p
 WHERE point && ST_MakeEnvelope(@xmin, @ymin, @xmax, @ymax, 4490)
