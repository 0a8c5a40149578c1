-- The figures of a dashboard or a bulletin over the projects the
-- principal may see, in one pass over the monthly reports: $1..$2
-- (excluded) the months whose investment is summed, $3..$4 (excluded) the
-- days whose starts and completions count, $5 the month before which each
-- project's plan and investment give its schedule ratio. Withdrawn
-- projects count only in their stage and in no month. Each row is one of
--   group:    dim (total, district, stage, category, leader, started,
--             finished), key, label, count, total investment, annual plan
--             and the investment reported in the months;
--   month:    key YYYY-MM, planned and reported investment of the month,
--             every month of $1..$2;
--   standing: a project but withdrawn and completed ones with a plan
--             before $5, or not started though planned to before $5
--             (late, with or without a plan): id, name, district name
--             and code, stage, leader,
--             planned and reported investment before $5, planned and
--             actual start; by id.
-- The reports are summed per project and per month at once (grouping
-- sets), then the projects in every grouping at once; the bits of
-- grouping(...) tell the groupings apart.
WITH r AS (
    SELECT grouping(pp.project_id, pp.month) AS kind, pp.project_id, pp.month,
           sum(pp.invested) FILTER (WHERE pp.month >= $1::date AND pp.month < $2::date) AS invested,
           sum(pp.planned) FILTER (WHERE pp.month < $5::date) AS due_planned,
           sum(pp.invested) FILTER (WHERE pp.month < $5::date) AS due_invested,
           sum(pp.planned) FILTER (WHERE p.stage <> 'withdrawn' AND pp.month >= $1::date AND pp.month < $2::date) AS m_planned,
           sum(pp.invested) FILTER (WHERE p.stage <> 'withdrawn' AND pp.month >= $1::date AND pp.month < $2::date) AS m_invested
      FROM project_progress pp
      JOIN projects p ON p.id = pp.project_id
     WHERE pp.month < greatest($2::date, $5::date)
     GROUP BY GROUPING SETS ((pp.project_id), (pp.month))
), p AS (
    SELECT p.id, p.name, d.code, d.name AS dname, p.stage, p.category, p.leader, p.total_investment AS total,
           p.annual_plan AS plan, coalesce(r.invested, 0) AS invested, r.due_planned, r.due_invested,
           p.planned_start, p.actual_start, p.stage <> 'withdrawn' AS counted,
           coalesce(p.actual_start >= $3::date AND p.actual_start < $4::date, false) AS started,
           coalesce(p.actual_finish >= $3::date AND p.actual_finish < $4::date, false) AS finished
      FROM projects p
      JOIN districts d ON d.id = p.district_id
      LEFT JOIN r ON r.kind = 1 AND r.project_id = p.id
), g AS (
    SELECT grouping(code, stage, category, leader) AS kind, code, dname, stage, category, leader,
           count(*) AS n_all, sum(total) AS t_all, sum(plan) AS p_all, sum(invested) AS i_all,
           count(*) FILTER (WHERE counted) AS n, sum(total) FILTER (WHERE counted) AS t,
           sum(plan) FILTER (WHERE counted) AS pl, sum(invested) FILTER (WHERE counted) AS i,
           count(*) FILTER (WHERE counted AND started) AS n_s, sum(total) FILTER (WHERE counted AND started) AS t_s,
           sum(plan) FILTER (WHERE counted AND started) AS p_s, sum(invested) FILTER (WHERE counted AND started) AS i_s,
           count(*) FILTER (WHERE counted AND finished) AS n_f, sum(total) FILTER (WHERE counted AND finished) AS t_f,
           sum(plan) FILTER (WHERE counted AND finished) AS p_f, sum(invested) FILTER (WHERE counted AND finished) AS i_f
      FROM p
     GROUP BY GROUPING SETS ((), (code, dname), (stage), (category), (leader))
)
SELECT * FROM (
    SELECT 'group' AS row, v.dim, v.key, v.label, v.n, v.t::text, v.p::text, v.i::text,
           NULL::bigint AS id, NULL::text AS district, NULL::text AS district_code, NULL::text AS stage, NULL::text AS leader,
           NULL::date AS planned_start, NULL::date AS actual_start
      FROM g
     CROSS JOIN LATERAL (VALUES
            ('total', '', '', g.n, g.t, g.pl, g.i, g.kind = 15),
            ('started', '', '', g.n_s, g.t_s, g.p_s, g.i_s, g.kind = 15),
            ('finished', '', '', g.n_f, g.t_f, g.p_f, g.i_f, g.kind = 15),
            ('district', g.code, g.dname, g.n, g.t, g.pl, g.i, g.kind = 7),
            ('stage', g.stage, g.stage, g.n_all, g.t_all, g.p_all, g.i_all, g.kind = 11),
            ('category', g.category, g.category, g.n, g.t, g.pl, g.i, g.kind = 13),
            ('leader', g.leader, g.leader, g.n, g.t, g.pl, g.i, g.kind = 14)
         ) v(dim, key, label, n, t, p, i, wanted)
     WHERE v.wanted AND v.n > 0
    UNION ALL
    SELECT 'month', '', to_char(m.month, 'YYYY-MM'), '', 0, NULL, coalesce(r.m_planned, 0)::text, coalesce(r.m_invested, 0)::text,
           NULL, NULL, NULL, NULL, NULL, NULL, NULL
      FROM generate_series($1::date, $2::date - 1, interval '1 month') m(month)
      LEFT JOIN r ON r.kind = 2 AND r.month = m.month
    UNION ALL
    SELECT 'standing', '', id::text, name, 0, NULL, coalesce(due_planned, 0)::text, coalesce(due_invested, 0)::text,
           id, dname, code, stage, leader, planned_start, actual_start
      FROM p
     WHERE stage NOT IN ('withdrawn', 'operating')
       AND (due_planned > 0 OR (actual_start IS NULL AND planned_start < $5::date))
) x
ORDER BY row, dim, id, key
